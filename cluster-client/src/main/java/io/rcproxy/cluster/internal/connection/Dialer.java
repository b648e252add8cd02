package io.rcproxy.cluster.internal.connection;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.rcproxy.cluster.topology.ClusterNode;

/**
 * Opens the channel a connection runs on, with a {@link NodeConnectionHandler} reporting to its owner.
 * Production dials TCP ({@link #tcp}); unit tests give an in-memory channel.
 *
 * <p>Thread: called on the connection's event loop.
 */
@FunctionalInterface
interface Dialer {

    /** Starts connecting; the future's channel exists at once, connected or not. */
    ChannelFuture dial(ClusterNode node, ChannelOwner owner);

    /** TCP to the node's address on {@code loop}, with the transport and timeouts of {@code options}. */
    static Dialer tcp(EventLoop loop, ConnectionOptions options) {
        return (node, owner) -> new Bootstrap()
                .group(loop)
                .channel(options.transport().socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new BackendChannelInitializer(owner, options.limits(), options.tls(), node))
                .connect(node.address().host(), node.address().port());
    }
}
