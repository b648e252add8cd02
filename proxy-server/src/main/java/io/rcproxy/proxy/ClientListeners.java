package io.rcproxy.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.rcproxy.proxy.config.ProxyConfig;
import io.rcproxy.proxy.tls.ServerTls;
import io.rcproxy.proxy.tls.TlsChannelInitializer;
import io.rcproxy.proxy.tls.TlsMetrics;
import java.net.InetSocketAddress;

/**
 * The ports clients connect to: the RESP port, plain or (when {@code proxy.tls.port} is the same number)
 * TLS only, and a second TLS port when {@code proxy.tls.port} is another number. Both share the event
 * loops and the client pipeline; TLS only adds its handlers in front.
 *
 * <p>Bound and closed on the main thread.
 */
final class ClientListeners {

    private final Channel main;
    /** The second listener, TLS, or null. */
    private final Channel tlsOnly;
    private final boolean mainIsTls;

    private ClientListeners(Channel main, Channel tlsOnly, boolean mainIsTls) {
        this.main = main;
        this.tlsOnly = tlsOnly;
        this.mainIsTls = mainIsTls;
    }

    /** Binds; on failure closes whatever was bound and rethrows. */
    static ClientListeners bind(ProxyConfig config, EventLoopGroup group, ChannelHandler plain, ServerTls tls,
                                TlsMetrics tlsMetrics) {
        int tlsPort = tls == null ? 0 : tls.config().port();
        ChannelHandler secured = tls == null ? null : new TlsChannelInitializer(tls, plain, tlsMetrics);
        boolean mainIsTls = tlsPort == config.port();
        Channel main = bind(config, group, mainIsTls ? secured : plain, config.port());
        if (tlsPort == 0 || mainIsTls) {
            return new ClientListeners(main, null, mainIsTls);
        }
        try {
            return new ClientListeners(main, bind(config, group, secured, tlsPort), false);
        } catch (RuntimeException e) {
            main.close().syncUninterruptibly();
            throw e;
        }
    }

    private static Channel bind(ProxyConfig config, EventLoopGroup group, ChannelHandler handler, int port) {
        return new ServerBootstrap()
                .group(group)
                .channel(config.transport().serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(handler)
                .bind(config.bind(), port)
                .syncUninterruptibly()
                .channel();
    }

    InetSocketAddress mainAddress() {
        return (InetSocketAddress) main.localAddress();
    }

    /** The TLS listener's address: the main one when it speaks TLS; null without TLS. */
    InetSocketAddress tlsAddress() {
        if (mainIsTls) {
            return mainAddress();
        }
        return tlsOnly == null ? null : (InetSocketAddress) tlsOnly.localAddress();
    }

    String describe() {
        return mainAddress() + (mainIsTls ? " (TLS only)" : "") + (tlsOnly == null ? "" : " and " + tlsAddress() + " (TLS)");
    }

    void close() {
        main.close().syncUninterruptibly();
        if (tlsOnly != null) {
            tlsOnly.close().syncUninterruptibly();
        }
    }
}
