package io.rcproxy.cluster.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RespFrameScannerTest {

    @Test
    void returnsFrameLengthAndLeavesIndicesAlone() {
        ByteBuf in = ascii("xx:1\r\n+OK\r\n");
        try {
            in.readerIndex(2);
            RespFrameScanner scanner = new RespFrameScanner();
            assertEquals(4, scanner.scan(in));
            assertEquals(2, in.readerIndex());
            in.skipBytes(4);
            assertEquals(5, scanner.scan(in));
        } finally {
            in.release();
        }
    }

    @Test
    void progressSurvivesReadBytesBeingDiscarded() {
        ByteBuf in = Unpooled.buffer();
        try {
            RespFrameScanner scanner = new RespFrameScanner();
            in.writeCharSequence("+OK\r\n*2\r\n$3\r\nfoo", ISO_8859_1);
            assertEquals(5, scanner.scan(in));
            in.skipBytes(5);
            assertEquals(-1, scanner.scan(in));
            in.discardReadBytes();
            in.writeCharSequence("\r\n:7\r\n", ISO_8859_1);
            assertEquals(17, scanner.scan(in));
        } finally {
            in.release();
        }
    }

    @Test
    void largeArrayFedInSmallPiecesIsScannedInLinearTime() {
        int elements = 200_000;
        StringBuilder frame = new StringBuilder("*").append(elements).append("\r\n");
        for (int i = 0; i < elements; i++) {
            frame.append("$5\r\nvalue\r\n");
        }
        byte[] bytes = frame.toString().getBytes(ISO_8859_1);
        ByteBuf in = Unpooled.buffer(bytes.length);
        try {
            RespFrameScanner scanner = new RespFrameScanner();
            // Rescanning from the start on each piece would take minutes at this size.
            int length = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                int result = -1;
                for (int off = 0; off < bytes.length; off += 7) {
                    in.writeBytes(bytes, off, Math.min(7, bytes.length - off));
                    result = scanner.scan(in);
                }
                return result;
            });
            assertEquals(bytes.length, length);
        } finally {
            in.release();
        }
    }

    @Test
    void longSimpleLineFedOneByteAtATimeIsAccepted() {
        int contentLength = RespFrameScanner.MAX_LINE_LENGTH - 3;
        ByteBuf in = Unpooled.buffer();
        try {
            RespFrameScanner scanner = new RespFrameScanner();
            in.writeByte('+');
            for (int i = 0; i < contentLength; i++) {
                in.writeByte('a');
                assertEquals(-1, scanner.scan(in));
            }
            in.writeByte('\r');
            assertEquals(-1, scanner.scan(in));
            in.writeByte('\n');
            assertEquals(RespFrameScanner.MAX_LINE_LENGTH, scanner.scan(in));
        } finally {
            in.release();
        }
    }

    @Test
    void unterminatedLineIsRejectedOnceItExceedsTheLineLimit() {
        ByteBuf in = Unpooled.buffer();
        try {
            RespFrameScanner scanner = new RespFrameScanner();
            in.writeByte('-');
            in.writeZero(RespFrameScanner.MAX_LINE_LENGTH - 2);
            assertEquals(-1, scanner.scan(in));
            in.writeByte('x');
            RespProtocolException e = assertThrows(RespProtocolException.class, () -> scanner.scan(in));
            assertEquals("too big line", e.getMessage());
        } finally {
            in.release();
        }
    }

    @Test
    void unterminatedLengthHeaderIsRejectedAtTheLineLimit() {
        ByteBuf in = Unpooled.buffer();
        try {
            in.writeByte('$');
            for (int i = 0; i < RespFrameScanner.MAX_LINE_LENGTH; i++) {
                in.writeByte('0');
            }
            assertThrows(RespProtocolException.class, () -> new RespFrameScanner().scan(in));
        } finally {
            in.release();
        }
    }

    @Test
    void lengthThatOverflowsALongIsRejected() {
        ByteBuf in = ascii("$99999999999999999999\r\n");
        try {
            RespProtocolException e = assertThrows(RespProtocolException.class, () -> new RespFrameScanner().scan(in));
            assertEquals("invalid bulk length", e.getMessage());
        } finally {
            in.release();
        }
    }

    @Test
    void deeplyNestedArraysNeedNoStack() {
        int depth = 100_000;
        ByteBuf in = Unpooled.buffer();
        try {
            for (int i = 0; i < depth; i++) {
                in.writeCharSequence("*1\r\n", ISO_8859_1);
            }
            in.writeCharSequence(":1\r\n", ISO_8859_1);
            assertEquals(depth * 4 + 4, new RespFrameScanner().scan(in));
        } finally {
            in.release();
        }
    }

    @Test
    void resetForgetsAPartialFrame() {
        ByteBuf partial = ascii("*2\r\n:1\r\n");
        ByteBuf whole = ascii(":5\r\n");
        try {
            RespFrameScanner scanner = new RespFrameScanner();
            assertEquals(-1, scanner.scan(partial));
            scanner.reset();
            assertEquals(4, scanner.scan(whole));
        } finally {
            partial.release();
            whole.release();
        }
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, ISO_8859_1);
    }
}
