package io.rcproxy.cluster.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.rcproxy.cluster.resp.RespFrameScanner;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.resp.RespProtocolException;
import java.util.List;

/**
 * A backend channel's only handler: frames the reply stream and hands each reply straight to its
 * {@link NodeConnection}, without a pipeline hop per reply; it also reports closure, errors and
 * writability. (It does the job of {@link io.rcproxy.cluster.resp.RespReplyDecoder} plus a consumer, fused
 * because it runs once per reply on the hot path.)
 *
 * <p>Runs on the connection's event loop. Each reply leaves as a retained slice whose ownership passes to
 * the connection, and from there to the command that finishes its journey.
 */
final class NodeConnectionHandler extends ByteToMessageDecoder {

    private final NodeConnection connection;
    private final RespFrameScanner scanner;
    private Throwable failure;

    NodeConnectionHandler(NodeConnection connection, RespLimits limits) {
        this.connection = connection;
        this.scanner = new RespFrameScanner(limits);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failure != null) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            int length;
            while ((length = scanner.scan(in)) >= 0) {
                // Retained: the reply outlives this call; the command that finishes with it releases it.
                connection.onReplyFrame(in.readRetainedSlice(length));
            }
        } catch (RespProtocolException e) {
            // A broken reply stream cannot be resynchronised: fail what is in flight and reconnect.
            failure = e;
            in.skipBytes(in.readableBytes());
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx);
        connection.onChannelClosed(ctx.channel(), failure);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.onWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = cause;
        ctx.close();
    }
}
