package io.rcproxy.cluster.slot;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Maps a key to its hash slot as the Redis Cluster specification defines it: if the key holds a
 * {@code {}, and a {@code }} follows it with at least one byte between the first {@code {} and
 * the first {@code }} after it, only the bytes between them (the hash tag) are hashed; otherwise
 * the whole key is. The slot is {@code CRC16 & 16383}.
 *
 * <p>Stateless and allocation-free: any thread may call it. Buffers are read in place; their
 * indices and reference counts are left alone.
 */
public final class SlotHash {

    /** Number of hash slots in a Redis Cluster. */
    public static final int SLOT_COUNT = 16384;

    private static final int SLOT_MASK = SLOT_COUNT - 1;

    private SlotHash() {
    }

    /** Slot of the key held in {@code length} bytes of {@code buf} at absolute index {@code index}. */
    public static int slot(ByteBuf buf, int index, int length) {
        Objects.checkFromIndexSize(index, length, buf.capacity());
        if (buf.hasArray()) {
            return slot(buf.array(), buf.arrayOffset() + index, length);
        }
        int end = index + length;
        int open = buf.indexOf(index, end, (byte) '{');
        if (open >= 0) {
            int close = buf.indexOf(open + 1, end, (byte) '}');
            if (close > open + 1) {
                return Crc16.crc16(buf, open + 1, close - open - 1) & SLOT_MASK;
            }
        }
        return Crc16.crc16(buf, index, length) & SLOT_MASK;
    }

    /** Slot of the key {@code key}. */
    public static int slot(byte[] key) {
        return slot(key, 0, key.length);
    }

    /** Slot of the key held in {@code len} bytes of {@code bytes} starting at {@code off}. */
    public static int slot(byte[] bytes, int off, int len) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        int end = off + len;
        for (int open = off; open < end; open++) {
            if (bytes[open] == '{') {
                for (int close = open + 1; close < end; close++) {
                    if (bytes[close] == '}') {
                        if (close > open + 1) {
                            return Crc16.crc16(bytes, open + 1, close - open - 1) & SLOT_MASK;
                        }
                        break;
                    }
                }
                break;
            }
        }
        return Crc16.crc16(bytes, off, len) & SLOT_MASK;
    }
}
