package io.rcproxy.cluster.internal.resp;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.resp.RespDecimal;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.resp.RespProtocolException;

/**
 * Finds where a complete RESP2 or RESP3 frame ends without parsing it into objects, so the frame can be
 * forwarded as the bytes it arrived as. Handles RESP2's {@code +}, {@code -}, {@code :}, {@code $} (with
 * {@code $-1}) and {@code *} (with {@code *-1}, {@code *0}), and RESP3's null {@code _}, boolean {@code #},
 * double {@code ,}, big number {@code (}, verbatim string {@code =}, blob error {@code !}, map {@code %},
 * set {@code ~}, push {@code >} and attribute {@code |}, nested to any depth. An attribute belongs to the
 * value after it, so the two are one frame. Streamed strings and aggregates ({@code $?}, {@code *?}) are
 * refused: Redis never sends them.
 *
 * <p>The scan is incremental: when a frame is incomplete, the scanner keeps how far it got as an
 * offset from the reader index (a {@code ByteToMessageDecoder} may discard read bytes and move the
 * indices, but never the bytes after the reader index), so a frame fed in many small pieces costs
 * time proportional to its size. Nesting needs no stack: one counter holds how many elements are
 * still expected, and an array header of {@code n} elements adds {@code n - 1} to it.
 *
 * <p>Every declared length is checked against {@link RespLimits} when its header is read, and no
 * line may exceed {@link #MAX_LINE_LENGTH} bytes; nothing is ever allocated from a peer-sent length.
 *
 * <p><b>Large bulks.</b> A scanner made with an announcement threshold stops at the header of every bulk of
 * at least that many bytes and returns -1 with {@link #takeAnnouncedBulk()} set, before any of the bulk's
 * bytes is needed: the caller can reserve memory for it, or refuse it and {@linkplain #skipScanned skip}
 * the frame's bytes as they arrive instead of buffering them.
 *
 * <p>Not thread-safe: one instance per connection, used on that connection's event loop. It never
 * reads, retains or releases the buffer; it only looks at bytes, except {@link #skipScanned}, which
 * skips bytes the caller has asked it to drop.
 */
public final class RespFrameScanner {

    /** Longest header or simple line accepted, type byte and CRLF included (Redis's inline limit). */
    static final int MAX_LINE_LENGTH = 64 * 1024;

    private final RespLimits limits;
    private final int announceBulksFrom;

    /** Offset from the reader index of the first byte not yet consumed by a finished element. */
    private int offset;
    /** Elements still expected before the frame is complete; 1 while nothing has been read. */
    private long expected = 1;
    /** Length of the bulk whose header was read and whose body has not fully arrived, else -1. */
    private int pendingBulk = -1;
    /** Offset from the reader index up to which the current line is known to hold no LF. */
    private int searchedTo;
    /** Length of a large bulk whose header was just read, until the caller takes it; else -1. */
    private int announcedBulk = -1;

    public RespFrameScanner(RespLimits limits) {
        this(limits, Integer.MAX_VALUE);
    }

    /**
     * @param announceBulksFrom bulks of at least this many bytes are announced (see the class comment)
     */
    public RespFrameScanner(RespLimits limits, int announceBulksFrom) {
        this.limits = limits;
        this.announceBulksFrom = announceBulksFrom;
    }

    public RespFrameScanner() {
        this(RespLimits.DEFAULT);
    }

    /**
     * Scans from {@code in.readerIndex()} and returns the length in bytes of the complete frame that
     * starts there, or {@code -1} if more bytes are needed. The state resets itself after a length
     * is returned; the caller must then consume exactly that many bytes before the next call, and
     * must not consume anything while {@code -1} is being returned (except through {@link #skipScanned}).
     * A -1 may also mean a large bulk was announced: see {@link #takeAnnouncedBulk()}.
     *
     * @throws RespProtocolException if the bytes are not RESP2 or exceed the limits
     */
    public int scan(ByteBuf in) {
        int base = in.readerIndex();
        int readable = in.readableBytes();
        while (true) {
            if (pendingBulk >= 0) {
                if (!scanBulkBody(in, base, readable)) {
                    return -1;
                }
            } else if (!scanLine(in, base, readable)) {
                return -1;
            } else if (announcedBulk >= 0) {
                return -1;
            }
            if (expected == 0) {
                int length = offset;
                reset();
                return length;
            }
        }
    }

    /** Forgets any partly scanned frame, for example after a frame was consumed by other means. */
    public void reset() {
        offset = 0;
        expected = 1;
        pendingBulk = -1;
        searchedTo = 0;
        announcedBulk = -1;
    }

    /**
     * The length of the large bulk whose header the last {@link #scan} stopped at, or -1; cleared by the call.
     * Call {@link #scan} again afterwards: the bulk's body is scanned like any other.
     */
    public int takeAnnouncedBulk() {
        int length = announcedBulk;
        announcedBulk = -1;
        return length;
    }

    /**
     * Drops the bytes of the current, incomplete frame that have been scanned, and whatever has arrived of
     * a pending bulk's body, so a refused frame costs no memory while the rest of it arrives; the scan goes
     * on from where it was and still returns the frame's (remaining) length when it ends. Call only after
     * {@link #scan} returned -1.
     */
    public void skipScanned(ByteBuf in) {
        int skip = offset;
        if (pendingBulk >= 0) {
            // The CRLF after the body stays, to be checked when it arrives.
            int body = (int) Math.min((long) in.readableBytes() - offset, pendingBulk);
            skip += Math.max(0, body);
            pendingBulk -= Math.max(0, body);
        }
        in.skipBytes(skip);
        offset = 0;
        searchedTo = Math.max(0, searchedTo - skip);
    }

    private boolean scanBulkBody(ByteBuf in, int base, int readable) {
        long end = (long) offset + pendingBulk + 2;
        if (end > Integer.MAX_VALUE) {
            throw new RespProtocolException("reply too large");
        }
        if (readable < end) {
            return false;
        }
        int cr = base + (int) end - 2;
        if (in.getByte(cr) != '\r' || in.getByte(cr + 1) != '\n') {
            throw new RespProtocolException("bulk string not terminated by CRLF");
        }
        offset = (int) end;
        pendingBulk = -1;
        expected--;
        return true;
    }

    private boolean scanLine(ByteBuf in, int base, int readable) {
        int start = offset;
        if (readable <= start) {
            return false;
        }
        byte type = in.getByte(base + start);
        if (!isType(type)) {
            throw RespProtocolException.unexpectedByte(type);
        }
        int searchEnd = (int) Math.min(readable, (long) start + MAX_LINE_LENGTH);
        int from = Math.max(start + 1, searchedTo);
        int lf = in.indexOf(base + from, base + searchEnd, (byte) '\n');
        if (lf < 0) {
            if (searchEnd - start >= MAX_LINE_LENGTH) {
                throw new RespProtocolException("too big line");
            }
            // Remember the bytes already searched so a slowly arriving line is not rescanned.
            searchedTo = searchEnd;
            return false;
        }
        int cr = lf - 1;
        if (in.getByte(cr) != '\r') {
            throw new RespProtocolException("line not terminated by CRLF");
        }
        int contentStart = base + start + 1;
        switch (type) {
            case ':' -> {
                RespDecimal.read(in, contentStart, cr, "invalid integer");
                expected--;
            }
            case '$', '=', '!' -> bulkHeader(type, RespDecimal.read(in, contentStart, cr, "invalid bulk length"));
            case '*', '~', '>' -> arrayHeader(type, RespDecimal.read(in, contentStart, cr, "invalid multibulk length"));
            case '%', '|' -> mapHeader(type, RespDecimal.read(in, contentStart, cr, "invalid map length"));
            case '_' -> {
                if (cr != contentStart) {
                    throw new RespProtocolException("invalid null");
                }
                expected--;
            }
            case '#' -> {
                byte value = in.getByte(contentStart);
                if (cr != contentStart + 1 || (value != 't' && value != 'f')) {
                    throw new RespProtocolException("invalid boolean");
                }
                expected--;
            }
            case '(' -> {
                bigNumber(in, contentStart, cr);
                expected--;
            }
            case ',' -> {
                if (cr == contentStart) {
                    throw new RespProtocolException("invalid double");
                }
                expected--;
            }
            default -> expected--; // '+' and '-': any line
        }
        offset = lf + 1 - base;
        searchedTo = 0;
        return true;
    }

    private static boolean isType(byte type) {
        return switch (type) {
            case '+', '-', ':', '$', '*', '_', '#', ',', '(', '=', '!', '%', '~', '>', '|' -> true;
            default -> false;
        };
    }

    /** An optional minus and at least one digit, of any length (that is the point of a big number). */
    private static void bigNumber(ByteBuf in, int start, int end) {
        int i = start < end && in.getByte(start) == '-' ? start + 1 : start;
        if (i >= end) {
            throw new RespProtocolException("invalid big number");
        }
        for (; i < end; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                throw new RespProtocolException("invalid big number");
            }
        }
    }

    private void bulkHeader(byte type, long length) {
        if (length == -1 && type == '$') {
            expected--;
        } else if (length < 0 || length > limits.maxBulkLength()) {
            throw new RespProtocolException("invalid bulk length");
        } else {
            pendingBulk = (int) length;
            if (length >= announceBulksFrom) {
                announcedBulk = (int) length;
            }
        }
    }

    private void arrayHeader(byte type, long count) {
        if (count < (type == '*' ? -1 : 0) || count > limits.maxArrayLength()) {
            throw new RespProtocolException("invalid multibulk length");
        }
        // The array replaces itself, as one expected element, with its own elements.
        expected += count <= 0 ? -1 : count - 1;
    }

    /**
     * A map replaces itself with its keys and values. An attribute adds its pairs in front of the value it
     * describes, which is still expected: the frame ends after that value.
     */
    private void mapHeader(byte type, long pairs) {
        if (pairs < 0 || pairs > limits.maxArrayLength()) {
            throw new RespProtocolException("invalid map length");
        }
        expected += type == '|' ? 2 * pairs : pairs == 0 ? -1 : 2 * pairs - 1;
    }
}
