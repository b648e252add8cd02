package io.rcproxy.cluster.resp;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.List;

/**
 * A RESP2 reply parsed into Java values, for the few replies that must be understood (topology,
 * the library API). Replies on the proxy's data path are never parsed into these; they travel as
 * frames.
 *
 * <p>Immutable, holds no buffers, safe to share between threads.
 */
public sealed interface RespValue {

    /** {@code +OK}: a status line. */
    record SimpleString(String value) implements RespValue {
        public SimpleString {
            if (value == null) {
                throw new NullPointerException("value");
            }
        }
    }

    /** {@code -ERR message}: the message is everything after the {@code -}, prefix included. */
    record ErrorReply(String message) implements RespValue {
        public ErrorReply {
            if (message == null) {
                throw new NullPointerException("message");
            }
        }

        /** The first word, such as {@code ERR}, {@code MOVED} or {@code CROSSSLOT}. */
        public String prefix() {
            int space = message.indexOf(' ');
            return space < 0 ? message : message.substring(0, space);
        }
    }

    /** {@code :42}. */
    record IntegerReply(long value) implements RespValue {
    }

    /**
     * {@code $n}: binary-safe bytes, or {@code null} for the null bulk {@code $-1}. The array is
     * not copied; callers must not modify it.
     */
    record BulkString(byte[] bytes) implements RespValue {

        /** The null bulk string, {@code $-1}. */
        public static final BulkString NULL = new BulkString(null);

        public static BulkString of(String value) {
            return new BulkString(value.getBytes(UTF_8));
        }

        public boolean isNull() {
            return bytes == null;
        }

        /** The bytes decoded as UTF-8, or {@code null} for the null bulk. */
        public String asString() {
            return bytes == null ? null : new String(bytes, UTF_8);
        }

        // Records compare arrays by identity; replies are compared by content.
        @Override
        public boolean equals(Object o) {
            return o instanceof BulkString other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return bytes == null ? "BulkString[null]" : "BulkString[" + asString() + "]";
        }
    }

    /** {@code *n}: the elements in order, or {@code null} for the null array {@code *-1}. */
    record ArrayReply(List<RespValue> elements) implements RespValue {

        /** The null array, {@code *-1}. */
        public static final ArrayReply NULL = new ArrayReply(null);

        public ArrayReply {
            elements = elements == null ? null : List.copyOf(elements);
        }

        public static ArrayReply of(RespValue... elements) {
            return new ArrayReply(List.of(elements));
        }

        public boolean isNull() {
            return elements == null;
        }

        /** Number of elements; 0 for the null array. */
        public int size() {
            return elements == null ? 0 : elements.size();
        }

        public RespValue get(int index) {
            return elements.get(index);
        }
    }
}
