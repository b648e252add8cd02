package io.rcproxy.proxy.tls;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * A TLS listener's pipeline: the {@code SslHandler} with the certificate current at accept time, the
 * {@link TlsFailureHandler}, then the same handlers as a plain connection (given as {@code plain}).
 */
public final class TlsChannelInitializer extends ChannelInitializer<Channel> {

    public static final String TLS = "tls";
    public static final String TLS_FAILURES = "tlsFailures";

    private final ServerTls tls;
    private final ChannelHandler plain;
    private final TlsFailureHandler failures;

    /** @param plain the plain listener's initializer; a sharable {@link ChannelInitializer} */
    public TlsChannelInitializer(ServerTls tls, ChannelHandler plain, TlsMetrics metrics) {
        this.tls = tls;
        this.plain = plain;
        this.failures = new TlsFailureHandler(metrics);
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(TLS, tls.newHandler(ch.alloc())).addLast(TLS_FAILURES, failures).addLast(plain);
    }
}
