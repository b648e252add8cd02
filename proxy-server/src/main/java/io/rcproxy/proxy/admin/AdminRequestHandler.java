package io.rcproxy.proxy.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers the metrics listener's three paths: {@code GET /metrics} (Prometheus text format 0.0.4),
 * {@code GET /health/live} (200 while the process serves) and {@code GET /health/ready} (200 or 503 with
 * the reason, see {@link Readiness}). Other paths get 404, other methods 405. With a token file, {@code /metrics}
 * (and, if asked, the health paths) answer 401 unless the request sends {@code Authorization: Bearer <token>}.
 *
 * <p>Thread: the listener's own event loop, which may block briefly while the data loops are asked for
 * their connection counts. Ownership: {@link SimpleChannelInboundHandler} releases each request; each
 * response buffer passes to the channel with the write.
 */
final class AdminRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String METRICS = "/metrics";
    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";

    private static final String PLAIN_TEXT = "text/plain; charset=utf-8";

    private final CollectorRegistry registry;
    private final Readiness readiness;
    /** Null when no token is configured. */
    private final BearerToken token;
    private final boolean protectHealth;

    AdminRequestHandler(CollectorRegistry registry, Readiness readiness) {
        this(registry, readiness, null, false);
    }

    AdminRequestHandler(CollectorRegistry registry, Readiness readiness, BearerToken token, boolean protectHealth) {
        this.registry = registry;
        this.readiness = readiness;
        this.token = token;
        this.protectHealth = protectHealth;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, PLAIN_TEXT, "bad request\n", false);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        boolean known = path.equals(METRICS) || path.equals(LIVE) || path.equals(READY);
        if (!known) {
            respond(ctx, request, HttpResponseStatus.NOT_FOUND, PLAIN_TEXT, "not found\n", true);
        } else if (token != null && (path.equals(METRICS) || protectHealth) && !token.admits(request)) {
            respond(ctx, request, HttpResponseStatus.UNAUTHORIZED, PLAIN_TEXT, "bearer token required\n", true);
        } else if (!request.method().equals(HttpMethod.GET)) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, PLAIN_TEXT, "only GET\n", true);
        } else if (path.equals(METRICS)) {
            respond(ctx, request, HttpResponseStatus.OK, TextFormat.CONTENT_TYPE_004, scrape(), true);
        } else if (path.equals(LIVE)) {
            respond(ctx, request, HttpResponseStatus.OK, PLAIN_TEXT, "live\n", true);
        } else {
            Readiness.Verdict verdict = readiness.check();
            respond(ctx, request, verdict.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    PLAIN_TEXT, verdict.reason() + "\n", true);
        }
    }

    private String scrape() {
        StringWriter out = new StringWriter(16 * 1024);
        try {
            TextFormat.write004(out, registry.metricFamilySamples());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not throw
        }
        return out.toString();
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                                String contentType, String body, boolean keepAliveAllowed) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (status == HttpResponseStatus.METHOD_NOT_ALLOWED) {
            response.headers().set(HttpHeaderNames.ALLOW, "GET");
        }
        HttpUtil.setContentLength(response, content.readableBytes());
        boolean keepAlive = keepAliveAllowed && HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
