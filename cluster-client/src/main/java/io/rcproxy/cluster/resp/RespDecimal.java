package io.rcproxy.cluster.resp;

import io.netty.buffer.ByteBuf;

/**
 * Reads and writes the ASCII decimal integers of RESP directly on buffers, without going through
 * {@code String}: the headers of replies ({@code :42}, {@code $5}, {@code *3}) and, with Redis's own
 * strictness, the counts and numbers clients send. One digit loop serves both.
 *
 * <p>Stateless; any thread. Reads use absolute indices and leave buffer indices and reference counts alone.
 */
public final class RespDecimal {

    /**
     * Returned by {@link #parse} for text that is not a number or does not fit in a long. Long.MIN_VALUE
     * itself is therefore reported as invalid too: no count, length or numkeys a client sends can be that small.
     */
    public static final long INVALID = Long.MIN_VALUE;

    /** What {@link #negatedDigits} returns for anything but digits; positive, so never a negated value. */
    private static final long NOT_DIGITS = 1;

    private RespDecimal() {
    }

    /**
     * Parses the signed decimal at {@code [index, index + length)} with the strictness of Redis's
     * {@code string2ll}: optional {@code -}, no {@code +}, no spaces, no leading zeros, nothing else.
     *
     * @return the value, or {@link #INVALID}
     */
    public static long parse(ByteBuf buf, int index, int length) {
        if (length <= 0 || length > 20) {
            return INVALID;
        }
        int end = index + length;
        boolean negative = buf.getByte(index) == '-';
        int i = negative ? index + 1 : index;
        if (i == end) {
            return INVALID;
        }
        if (buf.getByte(i) == '0') {
            // "0" alone is fine; "01" and "-0" are not, as in Redis.
            return length == 1 ? 0 : INVALID;
        }
        long negated = negatedDigits(buf, i, end);
        if (negated == NOT_DIGITS) {
            return INVALID;
        }
        return negative || negated == Long.MIN_VALUE ? negated : -negated;
    }

    /**
     * Parses the signed decimal in {@code [start, end)} of a reply header, as leniently as Redis's replies
     * need: an optional leading {@code -} and digits, the whole range of a long.
     *
     * @throws RespProtocolException with {@code error} as message if the range is empty, holds anything
     *         else, or overflows a long
     */
    public static long read(ByteBuf buf, int start, int end, String error) {
        boolean negative = start < end && buf.getByte(start) == '-';
        int i = negative ? start + 1 : start;
        if (i >= end) {
            throw new RespProtocolException(error);
        }
        long negated = negatedDigits(buf, i, end);
        if (negated == NOT_DIGITS || (!negative && negated == Long.MIN_VALUE)) {
            throw new RespProtocolException(error);
        }
        return negative ? negated : -negated;
    }

    /**
     * The digits in {@code [from, end)} as a negative number, so that Long.MIN_VALUE fits without overflow
     * checks on the sign; {@link #NOT_DIGITS} for a non-digit or a value beyond a long.
     */
    private static long negatedDigits(ByteBuf buf, int from, int end) {
        long value = 0;
        for (int i = from; i < end; i++) {
            int digit = buf.getByte(i) - '0';
            if (digit < 0 || digit > 9 || value < (Long.MIN_VALUE + digit) / 10) {
                return NOT_DIGITS;
            }
            value = value * 10 - digit;
        }
        return value;
    }

    /** Number of ASCII digits of a non-negative {@code value}. */
    static int digits(int value) {
        int digits = 1;
        while (value >= 10) {
            value /= 10;
            digits++;
        }
        return digits;
    }

    /** Writes the non-negative {@code value} in ASCII; the caller has sized {@code out} for it. */
    static void write(ByteBuf out, int value) {
        int digits = digits(value);
        int end = out.writerIndex() + digits;
        out.ensureWritable(digits);
        for (int i = end - 1; i >= end - digits; i--) {
            out.setByte(i, '0' + value % 10);
            value /= 10;
        }
        out.writerIndex(end);
    }
}
