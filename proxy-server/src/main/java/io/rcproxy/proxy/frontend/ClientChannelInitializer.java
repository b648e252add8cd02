package io.rcproxy.proxy.frontend;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.rcproxy.proxy.protocol.RequestLimits;
import io.rcproxy.proxy.protocol.RespRequestDecoder;

/**
 * A client connection's pipeline: byte counting, request framing, then the handler that routes and orders
 * replies.
 */
public final class ClientChannelInitializer extends ChannelInitializer<Channel> {

    public static final String TRAFFIC_COUNTER = "trafficCounter";
    public static final String REQUEST_DECODER = "requestDecoder";
    public static final String CLIENT_HANDLER = "clientHandler";

    private final FrontendContext context;
    private final RequestLimits limits;

    public ClientChannelInitializer(FrontendContext context) {
        this.context = context;
        this.limits = requestLimits(context);
    }

    /** The decoder's limits: the configured bulk and argument caps, Redis's inline-line cap. */
    static RequestLimits requestLimits(FrontendContext context) {
        return new RequestLimits(context.config().maxBulkLength(), context.config().maxArgs(),
                RequestLimits.DEFAULT.maxInlineLength());
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline()
                .addLast(TRAFFIC_COUNTER, context.metrics().newTrafficHandler())
                .addLast(REQUEST_DECODER, new RespRequestDecoder(limits, context.bufferBudget()))
                .addLast(CLIENT_HANDLER, new ClientHandler(context, context.client().router(ch.eventLoop())));
    }
}
