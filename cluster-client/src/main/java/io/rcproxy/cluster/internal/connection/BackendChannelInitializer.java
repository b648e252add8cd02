package io.rcproxy.cluster.internal.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.spi.BackendTls;
import io.rcproxy.cluster.topology.ClusterNode;

/**
 * Builds a backend channel's pipeline: TLS first when configured, then one handler that frames replies and
 * feeds the channel's owner.
 */
final class BackendChannelInitializer extends ChannelInitializer<Channel> {

    static final String CONNECTION_HANDLER = "nodeConnection";
    static final String TLS = "tls";

    private final ChannelOwner owner;
    private final RespLimits limits;

    private final BackendTls tls;
    private final ClusterNode node;

    BackendChannelInitializer(ChannelOwner owner, RespLimits limits) {
        this(owner, limits, null, null);
    }

    /** @param tls null for plain TCP; else {@code node} names the host and port the certificate must match */
    BackendChannelInitializer(ChannelOwner owner, RespLimits limits, BackendTls tls, ClusterNode node) {
        this.owner = owner;
        this.limits = limits;
        this.tls = tls;
        this.node = node;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (tls != null) {
            ch.pipeline().addLast(TLS, tls.newHandler(ch.alloc(), node.address().host(), node.address().port()));
        }
        ch.pipeline().addLast(CONNECTION_HANDLER, new NodeConnectionHandler(owner, limits));
    }
}
