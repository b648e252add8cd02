package io.rcproxy.proxy.command;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * An open-addressing table from lowercase ASCII names to values, looked up with the name's bytes
 * as they sit in a buffer, folded to lower case on the fly: no String, no copy, no allocation.
 *
 * <p>Built once, then read-only: safe to share between event loops.
 *
 * @param <V> the value type
 */
final class NameIndex<V> {

    private final byte[][] names;
    private final Object[] values;
    private final int mask;
    private final int maxNameLength;

    NameIndex(Map<String, V> entries) {
        // At most half full, so probe sequences stay short.
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2) - 1) << 1;
        names = new byte[capacity][];
        values = new Object[capacity];
        mask = capacity - 1;
        int longest = 0;
        for (Map.Entry<String, V> entry : entries.entrySet()) {
            byte[] name = entry.getKey().getBytes(StandardCharsets.US_ASCII);
            for (byte b : name) {
                if (b >= 'A' && b <= 'Z') {
                    throw new IllegalArgumentException("names must be lowercase: " + entry.getKey());
                }
            }
            int slot = hash(name) & mask;
            while (names[slot] != null) {
                if (Arrays.equals(names[slot], name)) {
                    throw new IllegalArgumentException("duplicate name: " + entry.getKey());
                }
                slot = (slot + 1) & mask;
            }
            names[slot] = name;
            values[slot] = entry.getValue();
            longest = Math.max(longest, name.length);
        }
        maxNameLength = longest;
    }

    /** The value for the name at {@code buf[index, index + length)}, in any case; null if absent. */
    @SuppressWarnings("unchecked")
    V get(ByteBuf buf, int index, int length) {
        if (length > maxNameLength || length == 0) {
            // Also keeps a huge argument from being hashed at all.
            return null;
        }
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + lower(buf.getByte(index + i));
        }
        for (int slot = spread(h) & mask; names[slot] != null; slot = (slot + 1) & mask) {
            if (matches(names[slot], buf, index, length)) {
                return (V) values[slot];
            }
        }
        return null;
    }

    private static boolean matches(byte[] name, ByteBuf buf, int index, int length) {
        if (name.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (lower(buf.getByte(index + i)) != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static int hash(byte[] name) {
        int h = 0;
        for (byte b : name) {
            h = 31 * h + b;
        }
        return spread(h);
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private static byte lower(byte b) {
        return (b >= 'A' && b <= 'Z') ? (byte) (b + ('a' - 'A')) : b;
    }
}
