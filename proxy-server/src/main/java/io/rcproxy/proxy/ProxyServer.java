package io.rcproxy.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.cluster.ClusterListener;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.config.ProxyConfig;
import io.rcproxy.proxy.frontend.ClientChannelInitializer;
import io.rcproxy.proxy.frontend.FrontendContext;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy: one event loop group shared by the client listener and the cluster client, so each
 * client connection and the backend connections serving it live on the same thread.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private final ProxyConfig config;
    private final EventLoopGroup group;
    private final ClusterClient client;
    private final Channel listener;
    private final FrontendContext frontend;
    private final CountDownLatch closed = new CountDownLatch(1);

    private ProxyServer(ProxyConfig config, EventLoopGroup group, ClusterClient client, Channel listener,
                        FrontendContext frontend) {
        this.frontend = frontend;
        this.config = config;
        this.group = group;
        this.client = client;
        this.listener = listener;
    }

    /** Loads the topology, then listens; throws when no seed answers or the port cannot be bound. */
    public static ProxyServer start(ProxyConfig config) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.eventLoops(),
                config.transport().ioHandlerFactory());
        ClusterClient client = null;
        try {
            client = ClusterClient.start(config.clusterClientConfig(), group, false, ClusterListener.NONE);
            FrontendContext context = new FrontendContext(config, client, CommandTable.builtIn());
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(config.transport().serverSocketChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ClientChannelInitializer(context))
                    .bind(config.bind(), config.port())
                    .syncUninterruptibly()
                    .channel();
            log.info("proxy listening on {} ({} event loops, {} transport) for cluster {} with {} masters",
                    listener.localAddress(), config.eventLoops(), config.transport(), config.seeds(),
                    client.slotMap().masters().size());
            return new ProxyServer(config, group, client, listener, context);
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    public ClusterClient client() {
        return client;
    }

    public ProxyConfig config() {
        return config;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClose() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        listener.close().syncUninterruptibly();
        frontend.clientChannels().close().awaitUninterruptibly();
        client.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("proxy stopped");
        closed.countDown();
    }
}
