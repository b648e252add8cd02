package io.rcproxy.cluster.slot;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc16Test {

    @Test
    void checkValueOfXmodemIs0x31C3() {
        byte[] bytes = "123456789".getBytes(US_ASCII);
        assertEquals(0x31C3, Crc16.crc16(bytes, 0, bytes.length));
    }

    @Test
    void emptyInputHashesToZero() {
        assertEquals(0, Crc16.crc16(new byte[0], 0, 0));
    }

    @Test
    void heapAndDirectBuffersAgreeWithArraysForEveryLengthAndOffset() {
        Random random = new Random(42);
        byte[] bytes = new byte[64];
        random.nextBytes(bytes);
        ByteBuf heap = Unpooled.wrappedBuffer(bytes);
        ByteBuf direct = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        try {
            for (int off = 0; off < bytes.length; off++) {
                for (int len = 0; off + len <= bytes.length; len++) {
                    int expected = Crc16.crc16(bytes, off, len);
                    assertEquals(expected, Crc16.crc16(heap, off, len), "heap " + off + "+" + len);
                    assertEquals(expected, Crc16.crc16(direct, off, len), "direct " + off + "+" + len);
                }
            }
        } finally {
            heap.release();
            direct.release();
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void littleEndianViewOfADirectBufferHashesBytesInStreamOrder() {
        ByteBuf direct = Unpooled.directBuffer().writeBytes("123456789abcdef0".getBytes(US_ASCII));
        try {
            ByteBuf littleEndian = direct.order(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertEquals(Crc16.crc16(direct, 0, 16), Crc16.crc16(littleEndian, 0, 16));
            assertEquals(0x31C3, Crc16.crc16(littleEndian, 0, 9));
        } finally {
            direct.release();
        }
    }

    @Test
    void bufferRangeOutsideCapacityIsRejected() {
        ByteBuf buf = Unpooled.buffer(4).writeInt(7);
        try {
            assertThrows(IndexOutOfBoundsException.class, () -> Crc16.crc16(buf, 2, 3));
        } finally {
            buf.release();
        }
    }

    @Test
    void sliceOfALargerArrayHashesOnlyItsOwnBytes() {
        ByteBuf whole = Unpooled.copiedBuffer("xx123456789yy", US_ASCII);
        try {
            ByteBuf slice = whole.slice(2, 9);
            assertEquals(0x31C3, Crc16.crc16(slice, 0, 9));
        } finally {
            whole.release();
        }
    }

    /** The plain bit-by-bit definition, to check the sliced tables against for every length and alignment. */
    private static int referenceCrc16(byte[] bytes, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc ^= (bytes[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
            }
        }
        return crc;
    }

    @Test
    void slicedCrcMatchesTheDefinitionForEveryLengthAndOffset() {
        Random random = new Random(42);
        byte[] data = new byte[700];
        random.nextBytes(data);
        ByteBuf direct = Unpooled.directBuffer(data.length).writeBytes(data);
        try {
            for (int off = 0; off < 9; off++) {
                for (int len = 0; len + off <= 600; len++) {
                    int expected = referenceCrc16(data, off, len);
                    assertEquals(expected, Crc16.crc16(data, off, len),
                            "heap off=" + off + " len=" + len);
                    assertEquals(expected, Crc16.crc16(direct, off, len),
                            "direct off=" + off + " len=" + len);
                }
            }
        } finally {
            direct.release();
        }
    }
}
