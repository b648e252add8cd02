package io.rcproxy.cluster.resp;

import io.netty.buffer.ByteBuf;

/**
 * Reads and writes the ASCII decimal integers of RESP headers ({@code :42}, {@code $5}, {@code *3})
 * directly on buffers, without going through {@code String}.
 *
 * <p>Stateless; any thread. Reads use absolute indices and leave buffer indices alone.
 */
final class RespDecimal {

    private RespDecimal() {
    }

    /**
     * Parses the signed decimal in {@code [start, end)} of {@code buf}.
     *
     * @throws RespProtocolException with {@code error} as message if the range is empty, holds
     *         anything but an optional leading {@code -} and digits, or overflows a long
     */
    static long read(ByteBuf buf, int start, int end, String error) {
        boolean negative = start < end && buf.getByte(start) == '-';
        int i = negative ? start + 1 : start;
        if (i >= end) {
            throw new RespProtocolException(error);
        }
        // Accumulate as a negative number so Long.MIN_VALUE parses without overflow.
        long value = 0;
        for (; i < end; i++) {
            int digit = buf.getByte(i) - '0';
            if (digit < 0 || digit > 9 || value < (Long.MIN_VALUE + digit) / 10) {
                throw new RespProtocolException(error);
            }
            value = value * 10 - digit;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                throw new RespProtocolException(error);
            }
            return -value;
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
