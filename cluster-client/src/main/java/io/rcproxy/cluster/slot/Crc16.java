package io.rcproxy.cluster.slot;

import io.netty.buffer.ByteBuf;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * CRC16-XMODEM (polynomial 0x1021, initial value 0, no reflection), the checksum Redis Cluster
 * uses to place keys in slots.
 *
 * <p>Stateless: any thread may call it. It reads the bytes it is given and never retains, releases
 * or moves the indices of a buffer.
 */
public final class Crc16 {

    private static final int POLYNOMIAL = 0x1021;
    private static final int[] TABLE = table();

    private Crc16() {
    }

    /** CRC16 of {@code length} bytes of {@code buf} starting at absolute index {@code index}. */
    public static int crc16(ByteBuf buf, int index, int length) {
        Objects.checkFromIndexSize(index, length, buf.capacity());
        if (buf.hasArray()) {
            return crc16(buf.array(), buf.arrayOffset() + index, length);
        }
        // Direct buffers: one bounds-checked read per eight bytes instead of one per byte. The
        // bytes are taken from the top of the long down, which is stream order only when big-endian.
        int crc = 0;
        int i = index;
        int wordsEnd = isBigEndian(buf) ? index + (length & ~7) : index;
        for (; i < wordsEnd; i += 8) {
            long word = buf.getLong(i);
            for (int shift = 56; shift >= 0; shift -= 8) {
                crc = (crc << 8) ^ TABLE[((crc >>> 8) ^ (int) (word >>> shift)) & 0xff];
            }
        }
        for (int end = index + length; i < end; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 8) ^ buf.getByte(i)) & 0xff];
        }
        return crc & 0xffff;
    }

    /** CRC16 of {@code len} bytes of {@code bytes} starting at {@code off}. */
    public static int crc16(byte[] bytes, int off, int len) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        // Bits above 16 are never shifted back down, so one mask at the end is enough.
        int crc = 0;
        for (int i = off, end = off + len; i < end; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff];
        }
        return crc & 0xffff;
    }

    @SuppressWarnings("deprecation") // order() is the only way to spot a swapped little-endian view.
    private static boolean isBigEndian(ByteBuf buf) {
        return buf.order() == ByteOrder.BIG_ENDIAN;
    }

    private static int[] table() {
        int[] table = new int[256];
        for (int b = 0; b < 256; b++) {
            int crc = b << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
            }
            table[b] = crc & 0xffff;
        }
        return table;
    }
}
