package io.rcproxy.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.rcproxy.cluster.internal.connection.Transport;
import io.rcproxy.cluster.topology.HostAndPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Connections held open to the proxy while the load runs, each having sent one PING, so the proxy's
 * memory can be observed with many connected clients. One event loop serves them all.
 */
final class IdleClients implements AutoCloseable {

    private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

    private final EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();

    IdleClients(HostAndPort address, int count) throws IOException {
        Transport transport = Transport.best();
        group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new IdleHandler());
        for (int i = 0; i < count; i++) {
            ChannelFuture connected = bootstrap.connect(address.host(), address.port()).awaitUninterruptibly();
            if (!connected.isSuccess()) {
                close();
                throw new IOException("idle client " + i + " could not connect to " + address + ": "
                        + connected.cause().getMessage());
            }
            channels.add(connected.channel());
        }
    }

    /** Sends one PING and discards whatever comes back; shared by every idle connection. */
    @ChannelHandler.Sharable
    private static final class IdleHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(PING));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    int size() {
        return channels.size();
    }

    @Override
    public void close() {
        for (Channel channel : channels) {
            channel.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
