package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.rcproxy.proxy.protocol.RedisRequest;
import java.nio.charset.StandardCharsets;

/**
 * Writes request frames the proxy builds from pieces of a client's request: a fan-out's sub-requests, a
 * SCAN with the node's own cursor. The arguments are copied byte for byte from the client's frame, or shared
 * with it when large ({@link FrameBuilder}).
 *
 * <p>Stateless; the caller owns the buffer written to.
 */
final class RequestFrames {

    private static final byte[] CRLF = {'\r', '\n'};

    private RequestFrames() {
    }

    /** Bytes that {@code *count\r\n} takes, at most. */
    static int headerSize() {
        return 13;
    }

    /** Bytes that argument {@code i} of {@code request} takes as a bulk string, at most. */
    static int argSize(RedisRequest request, int i) {
        return request.argLength(i) + 15;
    }

    static void header(ByteBuf out, int count) {
        out.writeByte('*');
        out.writeCharSequence(Integer.toString(count), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }

    /** Copies argument {@code i} of {@code request} as a bulk string. */
    static void copyArg(ByteBuf out, RedisRequest request, int i) {
        int length = request.argLength(i);
        out.writeByte('$');
        out.writeCharSequence(Integer.toString(length), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
        out.writeBytes(request.frame(), request.argOffset(i), length);
        out.writeBytes(CRLF);
    }

    /** Argument {@code i} of {@code request} as a bulk string, its bytes shared when large. */
    static void arg(FrameBuilder out, RedisRequest request, int i) {
        int length = request.argLength(i);
        ByteBuf flat = out.flat();
        flat.writeByte('$');
        flat.writeCharSequence(Integer.toString(length), StandardCharsets.US_ASCII);
        flat.writeBytes(CRLF);
        // The decoder checked that the client's CRLF follows the argument: take it along.
        out.range(request.frame(), request.argOffset(i), length + 2);
    }

    static void bulk(ByteBuf out, String ascii) {
        out.writeByte('$');
        out.writeCharSequence(Integer.toString(ascii.length()), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
        out.writeCharSequence(ascii, StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }
}
