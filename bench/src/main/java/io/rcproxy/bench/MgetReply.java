package io.rcproxy.bench;

import io.netty.buffer.ByteBuf;

/**
 * Checks one MGET reply frame against the keys asked for: an array of as many bulk strings as keys, each
 * the value that key holds ({@link KeySpace#value}). Compares the length and the first
 * {@value #COMPARED_BYTES} bytes, where each value carries its own number, so a nil, a short value or
 * another key's value (a merge out of order) is an error, at a cost the load generator can afford per
 * reply. Reads the frame in place and never moves its indexes. Stateless.
 */
final class MgetReply {

    static final int COMPARED_BYTES = 16;

    private MgetReply() {
    }

    /**
     * @param frame   one complete reply frame starting at {@code frame.readerIndex()}
     * @param indexes the keys the MGET asked for, in order: {@code count} of them from {@code from}
     * @return null when every value is right, else what was wrong
     */
    static String check(ByteBuf frame, KeySpace keys, int[] indexes, int from, int count) {
        int pos = frame.readerIndex();
        if (frame.getByte(pos) != '*') {
            return "MGET: expected an array, got '" + (char) frame.getByte(pos) + "'";
        }
        int eol = frame.indexOf(pos, frame.writerIndex(), (byte) '\r');
        long elements = number(frame, pos + 1, eol);
        if (elements != count) {
            return "MGET: " + elements + " values for " + count + " keys";
        }
        pos = eol + 2;
        for (int i = 0; i < count; i++) {
            byte type = frame.getByte(pos);
            if (type == '_') {
                return "MGET: nil for key " + indexes[from + i] + ": not preloaded";
            }
            if (type != '$') {
                return "MGET: value " + i + " is not a bulk string ('" + (char) type + "')";
            }
            eol = frame.indexOf(pos, frame.writerIndex(), (byte) '\r');
            long length = number(frame, pos + 1, eol);
            if (length < 0) {
                return "MGET: nil for key " + indexes[from + i] + ": not preloaded";
            }
            pos = eol + 2;
            byte[] expected = keys.value(indexes[from + i]);
            if (length != expected.length || !startsWith(frame, pos, expected)) {
                return "MGET: value " + i + " is not the value of key " + indexes[from + i];
            }
            pos += (int) length + 2;
        }
        return null;
    }

    /** Whether the Lettuce/typed-API value is the one key {@code index} holds. */
    static boolean matches(byte[] actual, KeySpace keys, int index) {
        byte[] expected = keys.value(index);
        if (actual == null || actual.length != expected.length) {
            return false;
        }
        for (int i = 0; i < Math.min(COMPARED_BYTES, expected.length); i++) {
            if (actual[i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(ByteBuf frame, int pos, byte[] expected) {
        for (int i = 0; i < Math.min(COMPARED_BYTES, expected.length); i++) {
            if (frame.getByte(pos + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static long number(ByteBuf frame, int from, int to) {
        boolean negative = frame.getByte(from) == '-';
        long value = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            value = value * 10 + (frame.getByte(i) - '0');
        }
        return negative ? -value : value;
    }
}
