package io.rcproxy.proxy.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prometheus.client.CollectorRegistry;
import io.rcproxy.proxy.config.MetricsConfig;
import io.rcproxy.proxy.config.ProxyStartException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP listener for {@code /metrics}, {@code /health/live} and {@code /health/ready}.
 *
 * <p>It runs on an event loop group of its own, one NIO thread, never on the proxy's data loops. A scrape
 * renders a few hundred lines and, for backend connection counts and readiness, waits for each data loop
 * to answer a small task; done on a data loop, that wait would stall every client on it, and a data loop
 * waiting on itself would deadlock. One thread is plenty for a scraper and a few probes, and keeps the
 * listener's cost fixed. NIO rather than the data loops' transport: this traffic is a few requests a
 * minute, and NIO works everywhere. Its thread is a daemon, so it never holds the process up.
 */
public final class AdminServer implements AutoCloseable {

    public static final String HTTP_CODEC = "httpCodec";
    public static final String HTTP_AGGREGATOR = "httpAggregator";
    public static final String ADMIN_HANDLER = "adminHandler";

    /** Requests are a GET line and a few headers; anything larger is refused by the aggregator. */
    private static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final EventLoopGroup group;
    private final Channel listener;

    private AdminServer(EventLoopGroup group, Channel listener) {
        this.group = group;
        this.listener = listener;
    }

    /** Binds the listener; throws when the address cannot be bound. */
    public static AdminServer start(MetricsConfig config, CollectorRegistry registry, Readiness readiness) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("proxy-metrics-http", true),
                NioIoHandler.newFactory());
        try {
            BearerToken token = config.tokenFile().isEmpty() ? null : new BearerToken(config.tokenFile());
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline()
                                    .addLast(HTTP_CODEC, new HttpServerCodec())
                                    .addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                    .addLast(ADMIN_HANDLER, new AdminRequestHandler(registry, readiness, token,
                                            config.protectHealth()));
                        }
                    })
                    .bind(config.bind(), config.port())
                    .syncUninterruptibly()
                    .channel();
            return new AdminServer(group, listener);
        } catch (Exception e) {
            // A failed bind surfaces as a checked BindException thrown unchecked-style by Netty.
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ProxyStartException("cannot listen for metrics on " + config.bind() + ":" + config.port()
                    + ": " + e.getMessage() + " (is another process using the port?)", e);
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
