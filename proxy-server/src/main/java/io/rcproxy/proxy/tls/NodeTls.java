package io.rcproxy.proxy.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.rcproxy.cluster.spi.BackendTls;
import io.rcproxy.proxy.config.BackendTlsConfig;
import io.rcproxy.proxy.config.InvalidConfigException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS for the proxy's connections to the nodes ({@code proxy.cluster.tls}): one client context built at
 * start-up, and per connection a handler that sends the node's host as SNI and, unless
 * {@code verify-hostname} is off, checks that the node's certificate names that host (the HTTPS rules: a
 * DNS name or an IP address in the certificate's subject alternative names).
 *
 * <p>Thread-safe: {@link #newHandler} runs on every event loop.
 */
public final class NodeTls implements BackendTls {

    private final SslContext context;
    private final boolean verifyHostname;

    /** @throws InvalidConfigException naming the key, when the files cannot be used */
    public NodeTls(BackendTlsConfig config) {
        this.context = TlsContexts.client(config);
        this.verifyHostname = config.verifyPeer() && config.verifyHostname();
    }

    @Override
    public ChannelHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = context.newHandler(alloc, host, port);
        if (verifyHostname) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return handler;
    }
}
