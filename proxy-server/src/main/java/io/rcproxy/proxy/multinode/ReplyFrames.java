package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;

/**
 * Reads the few shapes of reply frame a merge must look inside: an error, an integer, an array header, the
 * end of one element. Frames arrive complete (the backend decoder framed them), but their contents come
 * from the network, so every read is bounds-checked and a surprise is an {@link IllegalStateException}
 * that the merge turns into an error reply.
 *
 * <p>Stateless and allocation-free; reads with absolute indices and never moves a buffer's indices.
 */
public final class ReplyFrames {

    private ReplyFrames() {
    }

    /** A simple error, or RESP3's blob error ({@code !}). */
    public static boolean isError(ByteBuf reply) {
        if (!reply.isReadable()) {
            return false;
        }
        byte type = reply.getByte(reply.readerIndex());
        return type == '-' || type == '!';
    }

    /** Whether the reply's bytes begin with {@code prefix} (ASCII), e.g. an error's code. */
    public static boolean startsWith(ByteBuf reply, byte[] prefix) {
        int start = reply.readerIndex();
        if (reply.readableBytes() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (reply.getByte(start + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the element at {@code pos} is a nil: RESP2's null bulk or array, or RESP3's null. */
    public static boolean isNull(ByteBuf buf, int pos) {
        if (pos >= buf.writerIndex()) {
            throw new IllegalStateException("reply ends early");
        }
        byte type = buf.getByte(pos);
        return type == '_' || ((type == '$' || type == '*') && pos + 1 < buf.writerIndex() && buf.getByte(pos + 1) == '-');
    }

    /** Index of the CR ending the line that starts at {@code start}. */
    public static int lineEnd(ByteBuf buf, int start) {
        int lf = buf.indexOf(start, buf.writerIndex(), (byte) '\n');
        if (lf <= start || buf.getByte(lf - 1) != '\r') {
            throw new IllegalStateException("unterminated line in reply");
        }
        return lf - 1;
    }

    /** The decimal number between {@code start} and {@code end} (exclusive), sign allowed. */
    public static long decimal(ByteBuf buf, int start, int end) {
        if (start >= end) {
            throw new IllegalStateException("empty number in reply");
        }
        boolean negative = buf.getByte(start) == '-';
        int i = negative ? start + 1 : start;
        if (i >= end || end - i > 19) {
            throw new IllegalStateException("bad number in reply");
        }
        long value = 0;
        for (; i < end; i++) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                throw new IllegalStateException("bad number in reply");
            }
            value = value * 10 + (b - '0');
            if (value < 0) {
                throw new IllegalStateException("number out of range in reply");
            }
        }
        return negative ? -value : value;
    }

    /** The value of an integer reply ({@code :n\r\n}). */
    public static long integer(ByteBuf reply) {
        int start = reply.readerIndex();
        if (reply.getByte(start) != ':') {
            throw new IllegalStateException("expected an integer reply");
        }
        return decimal(reply, start + 1, lineEnd(reply, start + 1));
    }

    /** The element count of an array reply's header ({@code *n\r\n}); -1 for the null array. */
    public static int arrayCount(ByteBuf reply) {
        int start = reply.readerIndex();
        if (!reply.isReadable() || reply.getByte(start) != '*') {
            throw new IllegalStateException("expected an array reply");
        }
        long count = decimal(reply, start + 1, lineEnd(reply, start + 1));
        if (count < -1 || count > Integer.MAX_VALUE) {
            throw new IllegalStateException("bad array length in reply");
        }
        return (int) count;
    }

    /** Index of the first element of an array reply: just past its header. */
    public static int arrayBody(ByteBuf reply) {
        return lineEnd(reply, reply.readerIndex() + 1) + 2;
    }

    /**
     * Index just past the element that starts at {@code pos}: a bulk string (null included), a simple
     * string, an error or an integer, or one of RESP3's scalars (null, boolean, double, big number,
     * verbatim string, blob error). Nested aggregates are not expected in the replies merged here.
     */
    public static int elementEnd(ByteBuf buf, int pos) {
        if (pos >= buf.writerIndex()) {
            throw new IllegalStateException("reply ends early");
        }
        byte type = buf.getByte(pos);
        int cr = lineEnd(buf, pos + 1);
        switch (type) {
            case '$', '=', '!' -> {
                long length = decimal(buf, pos + 1, cr);
                if (length == -1 && type == '$') {
                    return cr + 2;
                }
                if (length < 0 || length > buf.writerIndex() - cr - 4) {
                    throw new IllegalStateException("bad bulk length in reply");
                }
                return cr + 2 + (int) length + 2;
            }
            case '+', '-', ':', '_', '#', ',', '(' -> {
                return cr + 2;
            }
            default -> throw new IllegalStateException("unexpected element type '" + (char) type + "' in reply");
        }
    }
}
