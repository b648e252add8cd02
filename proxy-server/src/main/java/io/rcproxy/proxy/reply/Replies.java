package io.rcproxy.proxy.reply;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the replies the proxy writes itself (errors, local commands). Forwarded replies never pass
 * through here: they are the bytes Redis sent. Every method returns a new buffer the caller owns. The
 * methods taking a {@link Protocol} write the RESP3 type where Redis uses one (null, map, set, verbatim
 * string) and its RESP2 equivalent otherwise; errors, integers and strings are the same in both.
 */
public final class Replies {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final ByteBuf OK = constant("+OK\r\n");
    private static final ByteBuf PONG = constant("+PONG\r\n");
    private static final ByteBuf NULL_BULK = constant("$-1\r\n");
    private static final ByteBuf NULL = constant("_\r\n");
    private static final ByteBuf NULL_ARRAY = constant("*-1\r\n");

    private Replies() {
    }

    private static ByteBuf constant(String text) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(text.length())
                .writeBytes(text.getBytes(StandardCharsets.US_ASCII)));
    }

    public static ByteBuf ok() {
        return OK.duplicate();
    }

    public static ByteBuf pong() {
        return PONG.duplicate();
    }

    public static ByteBuf nullBulk() {
        return NULL_BULK.duplicate();
    }

    /** Redis's null in {@code protocol}: {@code $-1} in RESP2, {@code _} in RESP3. */
    public static ByteBuf nullReply(Protocol protocol) {
        return protocol.resp3() ? NULL.duplicate() : NULL_BULK.duplicate();
    }

    /**
     * A text reply Redis sends as a verbatim string in RESP3 ({@code =len\r\ntxt:...}: INFO, CLIENT INFO,
     * CLIENT LIST) and as a bulk string in RESP2.
     */
    public static ByteBuf verbatim(ByteBufAllocator alloc, Protocol protocol, String text) {
        if (!protocol.resp3()) {
            return bulk(alloc, text);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf out = alloc.buffer(bytes.length + 20);
        out.writeByte('=');
        out.writeCharSequence(Integer.toString(bytes.length + 4), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
        out.writeCharSequence("txt:", StandardCharsets.US_ASCII);
        out.writeBytes(bytes);
        out.writeBytes(CRLF);
        return out;
    }

    /** Starts a map of {@code pairs} key-value pairs: {@code %n} in RESP3, a flat array of 2n in RESP2. */
    public static void mapHeader(ByteBuf out, Protocol protocol, int pairs) {
        if (protocol.resp3()) {
            aggregateHeader(out, '%', pairs);
        } else {
            arrayHeader(out, pairs * 2);
        }
    }

    /** Starts a set of {@code count} elements: {@code ~n} in RESP3, an array in RESP2. */
    public static void setHeader(ByteBuf out, Protocol protocol, int count) {
        aggregateHeader(out, protocol.resp3() ? '~' : '*', count);
    }

    /** Appends Redis's null in {@code protocol}. */
    public static void appendNull(ByteBuf out, Protocol protocol) {
        out.writeBytes(protocol.resp3() ? NULL : NULL_BULK, 0, protocol.resp3() ? 3 : 5);

    }

    public static ByteBuf nullArray() {
        return NULL_ARRAY.duplicate();
    }

    /** {@code -message\r\n}; line breaks inside the message become spaces so the reply stays one line. */
    public static ByteBuf error(ByteBufAllocator alloc, String message) {
        String oneLine = message.replace('\r', ' ').replace('\n', ' ');
        ByteBuf out = alloc.buffer(oneLine.length() + 3);
        out.writeByte('-');
        ByteBufUtil.writeUtf8(out, oneLine);
        out.writeBytes(CRLF);
        return out;
    }

    public static ByteBuf simple(ByteBufAllocator alloc, String text) {
        ByteBuf out = alloc.buffer(text.length() + 3);
        out.writeByte('+');
        ByteBufUtil.writeUtf8(out, text);
        out.writeBytes(CRLF);
        return out;
    }

    public static ByteBuf integer(ByteBufAllocator alloc, long value) {
        ByteBuf out = alloc.buffer(24);
        out.writeByte(':');
        out.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
        return out;
    }

    /** A bulk string holding the readable bytes of {@code content} (not released here). */
    public static ByteBuf bulk(ByteBufAllocator alloc, ByteBuf content) {
        int length = content.readableBytes();
        ByteBuf out = alloc.buffer(length + 16);
        writeBulk(out, content, length);
        return out;
    }

    public static ByteBuf bulk(ByteBufAllocator alloc, String text) {
        ByteBuf out = alloc.buffer(text.length() + 16);
        appendBulk(out, text);
        return out;
    }

    private static void writeBulk(ByteBuf out, ByteBuf content, int length) {
        out.writeByte('$');
        out.writeCharSequence(Integer.toString(length), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
        out.writeBytes(content, content.readerIndex(), length);
        out.writeBytes(CRLF);
    }

    /** Starts an array of {@code count} elements; the caller appends them. */
    public static void arrayHeader(ByteBuf out, int count) {
        aggregateHeader(out, '*', count);
    }

    /** Starts a push of {@code count} elements in RESP3 ({@code >n}), an array in RESP2. */
    public static void pushHeader(ByteBuf out, Protocol protocol, int count) {
        aggregateHeader(out, protocol.resp3() ? '>' : '*', count);
    }

    private static void aggregateHeader(ByteBuf out, char type, int count) {
        out.writeByte(type);
        out.writeCharSequence(Integer.toString(count), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }

    public static void appendBulk(ByteBuf out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeByte('$');
        out.writeCharSequence(Integer.toString(bytes.length), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
        out.writeBytes(bytes);
        out.writeBytes(CRLF);
    }

    public static void appendInteger(ByteBuf out, long value) {
        out.writeByte(':');
        out.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }
}
