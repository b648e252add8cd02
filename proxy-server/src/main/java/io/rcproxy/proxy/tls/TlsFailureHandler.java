package io.rcproxy.proxy.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the {@code SslHandler} of a client connection: a failed handshake (no certificate, a
 * certificate from the wrong CA, a timeout, bytes that are not TLS at all) is counted, logged at debug
 * level only (a port scanner must not fill the log) and closes the connection; the RESP handlers behind
 * never see it.
 *
 * <p>Sharable and stateless; runs on each connection's event loop.
 */
@ChannelHandler.Sharable
final class TlsFailureHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsFailureHandler.class);

    private final TlsMetrics metrics;

    TlsFailureHandler(TlsMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            metrics.handshakeFailed();
            log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), done.cause().toString());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SSLException || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            // Already counted through the handshake event when it happened during the handshake.
            log.debug("TLS error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
