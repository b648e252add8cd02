package io.rcproxy.proxy.tracking;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key's bytes as a map key: compared by content, its hash computed once. Used for the keys of the
 * {@link TrackingTable}, for the NOLOOP marks of a client and for the prefixes of a BCAST client.
 *
 * <p>Immutable; the array is the key's own copy, never a view of a buffer.
 */
final class TrackedKey implements Comparable<TrackedKey> {

    private final byte[] bytes;
    private final int hash;

    TrackedKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** A copy of {@code length} bytes of {@code buf} from {@code offset}; the buffer is not changed. */
    static TrackedKey copyOf(ByteBuf buf, int offset, int length) {
        byte[] copy = new byte[length];
        buf.getBytes(offset, copy);
        return new TrackedKey(copy);
    }

    static TrackedKey of(String text) {
        return new TrackedKey(text.getBytes(StandardCharsets.UTF_8));
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return bytes.length;
    }

    /** Whether this key starts with {@code prefix} (every key starts with the empty prefix). */
    boolean startsWith(TrackedKey prefix) {
        return Arrays.equals(bytes, 0, Math.min(prefix.bytes.length, bytes.length), prefix.bytes, 0,
                prefix.bytes.length);
    }

    /** Redis's prefix collision rule: one of the two is a prefix of the other. */
    boolean overlaps(TrackedKey other) {
        return startsWith(other) || other.startsWith(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrackedKey other && other.hash == hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Byte order, unsigned, as Redis's radix tree lists prefixes. */
    @Override
    public int compareTo(TrackedKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
