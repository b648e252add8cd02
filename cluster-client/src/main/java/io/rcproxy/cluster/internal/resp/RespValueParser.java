package io.rcproxy.cluster.internal.resp;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.resp.RespDecimal;
import io.rcproxy.cluster.resp.RespProtocolException;
import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.cluster.resp.RespValue.ArrayReply;
import io.rcproxy.cluster.resp.RespValue.BulkString;
import io.rcproxy.cluster.resp.RespValue.ErrorReply;
import io.rcproxy.cluster.resp.RespValue.IntegerReply;
import io.rcproxy.cluster.resp.RespValue.SimpleString;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one complete RESP2 frame, such as a {@link RespReplyDecoder} emits, into a
 * {@link RespValue}. Meant for replies off the hot path (topology, library calls).
 *
 * <p>Reads with absolute indices from {@code readerIndex()}: the buffer's indices and reference
 * count are left unchanged, so the caller still owns and releases it. Bytes after the first frame
 * are ignored. Counts are checked against the bytes actually present before anything is allocated
 * for them, and nesting deeper than {@link #MAX_DEPTH} is refused so a hostile reply cannot
 * overflow the stack. A fresh instance per frame; any thread.
 */
public final class RespValueParser {

    /** Deepest array nesting accepted; real Redis replies nest a handful of levels. */
    static final int MAX_DEPTH = 128;

    private final ByteBuf buf;
    private final int end;
    private int pos;

    private RespValueParser(ByteBuf buf) {
        this.buf = buf;
        this.pos = buf.readerIndex();
        this.end = buf.writerIndex();
    }

    /**
     * Parses the frame starting at {@code frame.readerIndex()}.
     *
     * @throws RespProtocolException if the frame is malformed or incomplete
     */
    public static RespValue parse(ByteBuf frame) {
        return new RespValueParser(frame).value(0);
    }

    private RespValue value(int depth) {
        if (pos >= end) {
            throw new RespProtocolException("incomplete reply");
        }
        byte type = buf.getByte(pos);
        int start = pos + 1;
        int cr = lineEnd(start);
        pos = cr + 2;
        switch (type) {
            case '+':
                return new SimpleString(buf.toString(start, cr - start, UTF_8));
            case '-':
                return new ErrorReply(buf.toString(start, cr - start, UTF_8));
            case ':':
                return new IntegerReply(RespDecimal.read(buf, start, cr, "invalid integer"));
            case '$':
                return bulk(RespDecimal.read(buf, start, cr, "invalid bulk length"));
            case '*':
                return array(RespDecimal.read(buf, start, cr, "invalid multibulk length"), depth);
            default:
                throw RespProtocolException.unexpectedByte(type);
        }
    }

    private BulkString bulk(long length) {
        if (length == -1) {
            return BulkString.NULL;
        }
        if (length < 0 || length > end - pos - 2) {
            throw new RespProtocolException("invalid bulk length");
        }
        int n = (int) length;
        if (buf.getByte(pos + n) != '\r' || buf.getByte(pos + n + 1) != '\n') {
            throw new RespProtocolException("bulk string not terminated by CRLF");
        }
        byte[] bytes = new byte[n];
        buf.getBytes(pos, bytes);
        pos += n + 2;
        return new BulkString(bytes);
    }

    private ArrayReply array(long count, int depth) {
        if (count == -1) {
            return ArrayReply.NULL;
        }
        // Every element takes at least three bytes ("+\r\n"), which bounds the list we allocate.
        if (count < 0 || count > (end - pos) / 3) {
            throw new RespProtocolException("invalid multibulk length");
        }
        if (depth >= MAX_DEPTH) {
            throw new RespProtocolException("reply nested too deeply");
        }
        List<RespValue> elements = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            elements.add(value(depth + 1));
        }
        return new ArrayReply(elements);
    }

    /** Index of the CR ending the line that starts at {@code start}. */
    private int lineEnd(int start) {
        int lf = buf.indexOf(start, end, (byte) '\n');
        if (lf < 0) {
            throw new RespProtocolException("incomplete reply");
        }
        if (lf - 1 < start || buf.getByte(lf - 1) != '\r') {
            throw new RespProtocolException("line not terminated by CRLF");
        }
        return lf - 1;
    }
}
