package io.rcproxy.cluster.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The last handler of a backend channel: hands each reply frame to its {@link NodeConnection} and reports
 * closure, errors and writability. Runs on the connection's event loop; reply frames pass to the
 * connection, which passes them to the command that finishes their journey.
 */
final class NodeConnectionHandler extends ChannelInboundHandlerAdapter {

    private final NodeConnection connection;
    private Throwable failure;

    NodeConnectionHandler(NodeConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        connection.onReplyFrame((ByteBuf) msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.onChannelClosed(failure);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.onWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A broken reply stream cannot be resynchronised: fail what is in flight and reconnect.
        failure = cause;
        ctx.close();
    }
}
