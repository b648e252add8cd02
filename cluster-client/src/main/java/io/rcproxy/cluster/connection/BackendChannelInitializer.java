package io.rcproxy.cluster.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.rcproxy.cluster.resp.RespLimits;

/** Builds a backend channel's pipeline: one handler that frames replies and feeds its connection. */
final class BackendChannelInitializer extends ChannelInitializer<Channel> {

    static final String CONNECTION_HANDLER = "nodeConnection";

    private final NodeConnection connection;
    private final RespLimits limits;

    BackendChannelInitializer(NodeConnection connection, RespLimits limits) {
        this.connection = connection;
        this.limits = limits;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(CONNECTION_HANDLER, new NodeConnectionHandler(connection, limits));
    }
}
