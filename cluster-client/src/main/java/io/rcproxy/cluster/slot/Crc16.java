package io.rcproxy.cluster.slot;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * CRC16-XMODEM (polynomial 0x1021, initial value 0, no reflection), the checksum Redis Cluster
 * uses to place keys in slots.
 *
 * <p>Eight bytes at a time ("slicing by 8"): a byte-at-a-time CRC is one long dependency chain of
 * table look-ups, which made a 512-byte key cost microseconds; eight independent look-ups per word
 * cut that several times over. {@code SLICES[k][v]} is the CRC register after byte {@code v} followed by
 * {@code k} zero bytes, so by linearity a word's eight look-ups XOR into the new register.
 *
 * <p>Stateless: any thread may call it. It reads the bytes it is given and never retains, releases
 * or moves the indices of a buffer.
 */
final class Crc16 {

    private static final int POLYNOMIAL = 0x1021;
    private static final int[] TABLE = table();
    private static final int[][] SLICES = slices();
    private static final int[] T0 = SLICES[0];
    private static final int[] T1 = SLICES[1];
    private static final int[] T2 = SLICES[2];
    private static final int[] T3 = SLICES[3];
    private static final int[] T4 = SLICES[4];
    private static final int[] T5 = SLICES[5];
    private static final int[] T6 = SLICES[6];
    private static final int[] T7 = SLICES[7];
    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Crc16() {
    }

    /** CRC16 of {@code length} bytes of {@code buf} starting at absolute index {@code index}. */
    static int crc16(ByteBuf buf, int index, int length) {
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
            crc = word(crc, buf.getLong(i));
        }
        for (int end = index + length; i < end; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 8) ^ buf.getByte(i)) & 0xff];
        }
        return crc & 0xffff;
    }

    /** Folds eight bytes, first byte in the top of {@code w}, into the 16-bit register {@code crc}. */
    private static int word(int crc, long w) {
        int hi = (int) (w >>> 32);
        int lo = (int) w;
        return T7[((crc >>> 8) ^ (hi >>> 24)) & 0xff]
                ^ T6[(crc ^ (hi >>> 16)) & 0xff]
                ^ T5[(hi >>> 8) & 0xff]
                ^ T4[hi & 0xff]
                ^ T3[lo >>> 24]
                ^ T2[(lo >>> 16) & 0xff]
                ^ T1[(lo >>> 8) & 0xff]
                ^ T0[lo & 0xff];
    }

    /** CRC16 of {@code len} bytes of {@code bytes} starting at {@code off}. */
    static int crc16(byte[] bytes, int off, int len) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        // Bits above 16 are never shifted back down, so one mask at the end is enough.
        int crc = 0;
        int i = off;
        for (int wordsEnd = off + (len & ~7); i < wordsEnd; i += 8) {
            crc = word(crc, (long) LONG_BE.get(bytes, i));
        }
        for (int end = off + len; i < end; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff];
        }
        return crc & 0xffff;
    }

    @SuppressWarnings("deprecation") // order() is the only way to spot a swapped little-endian view.
    private static boolean isBigEndian(ByteBuf buf) {
        return buf.order() == ByteOrder.BIG_ENDIAN;
    }

    private static int[][] slices() {
        int[][] slices = new int[8][256];
        slices[0] = TABLE.clone();
        for (int k = 1; k < 8; k++) {
            for (int v = 0; v < 256; v++) {
                int r = slices[k - 1][v];
                slices[k][v] = ((r << 8) ^ TABLE[(r >>> 8) & 0xff]) & 0xffff;
            }
        }
        return slices;
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
