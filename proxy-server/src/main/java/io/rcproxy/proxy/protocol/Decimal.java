package io.rcproxy.proxy.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Parses a signed decimal integer straight from buffer bytes, with the strictness of Redis's
 * {@code string2ll}: optional {@code -}, no {@code +}, no spaces, no leading zeros, nothing else.
 *
 * <p>Stateless; safe on any thread. Reads the buffer without changing its indices or reference count.
 */
final class Decimal {

    /**
     * Returned for text that is not a number or does not fit in a long. Long.MIN_VALUE itself is
     * therefore reported as invalid too: no count, length or numkeys a client sends can be that small.
     */
    static final long INVALID = Long.MIN_VALUE;

    private Decimal() {
    }

    static long parse(ByteBuf buf, int index, int length) {
        if (length <= 0 || length > 20) {
            return INVALID;
        }
        int i = index;
        int end = index + length;
        boolean negative = buf.getByte(i) == '-';
        if (negative) {
            i++;
            if (i == end) {
                return INVALID;
            }
        }
        byte first = buf.getByte(i);
        if (first == '0') {
            // "0" alone is fine; "01" and "-0" are not, as in Redis.
            return (length == 1) ? 0 : INVALID;
        }
        // Accumulate negatively so that the full negative range fits without overflow checks on the sign.
        long value = 0;
        for (; i < end; i++) {
            int digit = buf.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                return INVALID;
            }
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return INVALID;
            }
            value = value * 10 - digit;
        }
        if (negative) {
            return value;
        }
        return value == Long.MIN_VALUE ? INVALID : -value;
    }
}
