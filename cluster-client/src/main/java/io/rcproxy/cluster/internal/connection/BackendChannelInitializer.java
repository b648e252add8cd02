package io.rcproxy.cluster.internal.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.rcproxy.cluster.resp.RespLimits;

/** Builds a backend channel's pipeline: one handler that frames replies and feeds the channel's owner. */
final class BackendChannelInitializer extends ChannelInitializer<Channel> {

    static final String CONNECTION_HANDLER = "nodeConnection";

    private final ChannelOwner owner;
    private final RespLimits limits;

    BackendChannelInitializer(ChannelOwner owner, RespLimits limits) {
        this.owner = owner;
        this.limits = limits;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(CONNECTION_HANDLER, new NodeConnectionHandler(owner, limits));
    }
}
