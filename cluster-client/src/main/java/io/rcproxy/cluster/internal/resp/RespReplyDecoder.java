package io.rcproxy.cluster.internal.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.resp.RespProtocolException;
import java.util.List;

/**
 * Splits the byte stream from a Redis node into RESP2 or RESP3 reply frames. Each frame leaves as a
 * {@link ByteBuf} slice holding exactly that frame's bytes, undecoded, so it can be written on to
 * a client unchanged.
 *
 * <p>Runs on the event loop of the channel it is in. Each emitted frame is owned by the next
 * handler, which must release it. After a protocol error the decoder throws once (the connection
 * handler closes the channel) and silently discards whatever still arrives.
 */
public final class RespReplyDecoder extends ByteToMessageDecoder {

    private final RespFrameScanner scanner;
    private boolean failed;

    public RespReplyDecoder(RespLimits limits) {
        this.scanner = new RespFrameScanner(limits);
    }

    public RespReplyDecoder() {
        this(RespLimits.DEFAULT);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            int length;
            while ((length = scanner.scan(in)) >= 0) {
                // Retained because the slice outlives this call; the downstream consumer releases it.
                out.add(in.readRetainedSlice(length));
            }
        } catch (RespProtocolException e) {
            // The stream cannot be resynchronised: nothing after the error is a reply.
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }
}
