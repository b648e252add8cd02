package io.rcproxy.cluster.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.resp.RespReplyDecoder;

/** Builds a backend channel's pipeline: reply framing, then the connection's handler. */
final class BackendChannelInitializer extends ChannelInitializer<Channel> {

    static final String REPLY_DECODER = "replyDecoder";
    static final String CONNECTION_HANDLER = "nodeConnection";

    private final NodeConnection connection;
    private final RespLimits limits;

    BackendChannelInitializer(NodeConnection connection, RespLimits limits) {
        this.connection = connection;
        this.limits = limits;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline()
                .addLast(REPLY_DECODER, new RespReplyDecoder(limits))
                .addLast(CONNECTION_HANDLER, new NodeConnectionHandler(connection));
    }
}
