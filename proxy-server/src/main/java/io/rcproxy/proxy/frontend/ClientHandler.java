package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.rcproxy.cluster.internal.connection.CoalescingWriter;
import io.rcproxy.cluster.internal.connection.LoopFlusher;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.proxy.auth.ClientAccess;
import io.rcproxy.proxy.metrics.ProxyMetrics;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.protocol.RejectedRequest;
import io.rcproxy.proxy.protocol.RequestBacklog;
import io.rcproxy.proxy.protocol.RespRequestDecoder;
import io.rcproxy.proxy.protocol.RespRequestException;
import io.rcproxy.proxy.reply.PauseReason;
import io.rcproxy.proxy.reply.RedisErrors;
import io.rcproxy.proxy.reply.Replies;
import io.rcproxy.proxy.reply.ReplyQueue;
import io.rcproxy.proxy.tracking.ClientTracking;
import java.io.IOException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel adapter of one client connection: admits it (or refuses it past {@code max-clients}), hands
 * each decoded request to its {@link ClientRequests}, writes the replies that come back in request order
 * and flushes them once per event-loop turn, turns a malformed request into one protocol error, and closes
 * the connection after QUIT, on shutdown drain, or when the client leaves. A request the decoder refused
 * for lack of buffer memory ({@link RejectedRequest}) is answered with its error, in order; while the
 * decoder holds bytes it set aside to let the loop serve others ({@link RequestBacklog}), reads pause.
 *
 * <p>Thread: the client's event loop. Ownership: a request read while the connection is closing ends its
 * journey here and is released; every other one passes to {@link ClientRequests}; a reply handed to
 * {@link #write} passes to the channel.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter implements ReplyQueue.Sink, LoopFlusher.Flushable {

    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

    private final FrontendContext context;
    private final LoopRouter router;
    private final LoopFlusher.Slot flushSlot;
    private final ClientSession session;
    private final ProxyMetrics metrics;
    private ChannelHandlerContext ctx;
    private CoalescingWriter writer;
    private ClientRequests requests;
    private boolean closeWhenDrained;
    private boolean inactive;
    private boolean counted;

    ClientHandler(FrontendContext context, LoopRouter router) {
        this.context = context;
        this.router = router;
        this.flushSlot = router.flusher().slot(this);
        this.session = new ClientSession(context.newClientId(), new ClientAccess(context.users()));
        this.metrics = context.metrics();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.writer = new CoalescingWriter(ctx.channel());
        this.requests = new ClientRequests(this, ctx.channel(), context, router, session);
        session.requests(requests);
        session.decoder(ctx.pipeline().get(RespRequestDecoder.class));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counted = true;
        session.channel(ctx.channel());
        context.register(session);
        context.clientChannels().add(ctx.channel());
        metrics.clientAccepted();
        if (context.connectedClients().incrementAndGet() > context.config().maxClients()) {
            metrics.clientRejected();
            closeWhenDrained = true;
            requests.pauses().stopForGood();
            ctx.writeAndFlush(Replies.error(ctx.alloc(), RedisErrors.MAX_CLIENTS))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RejectedRequest rejected) {
            // Refused by the decoder for lack of buffer memory: answered in order, the connection stays.
            if (!isClosing()) {
                requests.replies().addReady(Replies.error(alloc(), rejected.error()));
            }
            return;
        }
        RedisRequest request = (RedisRequest) msg;
        if (isClosing()) {
            request.release();
            return;
        }
        requests.route(request);
    }

    /** No more requests are routed: the client sent QUIT, the proxy is draining, or the client left. */
    boolean isClosing() {
        return closeWhenDrained || inactive;
    }

    /** RESET: drops the transaction, subscriptions and WATCHes; blocking calls already sent still answer. */
    void reset() {
        requests.reset();
    }

    ClientSession session() {
        return session;
    }

    /** The client's CLIENT TRACKING state, for the tracking commands' local handlers. */
    ClientTracking tracking() {
        return requests.tracking();

    }

    ClientRequests requests() {
        return requests;
    }

    FrontendContext context() {
        return context;
    }

    /**
     * Queues an answer that comes when {@code outcome} completes (+OK for null, else that error text), in
     * order with the others; returns null, as a {@link LocalHandler} whose answer is queued already does.
     */
    ByteBuf answerWhenDone(CompletionStage<String> outcome) {
        DeferredReplies.whenDone(requests.outbox().enqueue(null, ClusterCommand.ANY_SLOT, 0), ctx.channel().eventLoop(),
                alloc(), outcome);
        return null;
    }

    /**
     * A failed AUTH: its error goes out after the brute-force delay (later replies wait behind it), and the
     * connection closes once it has failed too often. The request is answered here; the handler returns null.
     */
    ByteBuf authFailed(String error) {
        ClientAccess access = session.access();
        DeferredReplies.errorAfter(requests.outbox().enqueue(null, ClusterCommand.ANY_SLOT, 0), ctx.channel().eventLoop(),
                alloc(), error, access.failureDelayMillis());
        if (access.failedTooOften()) {
            closeAfterReplies();
        }
        return null;
    }

    @Override
    public void write(ByteBuf reply) {
        if (inactive) {
            reply.release();
            return;
        }
        writer.writeOwned(reply);
    }

    @Override
    public void drained() {
        scheduleFlush();
        requests.outbox().drained();
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    /** QUIT: stop reading; close once every earlier reply and this one are out. */
    void closeAfterReplies() {
        closeWhenDrained = true;
        requests.pauses().stopForGood();
    }

    /** Shutdown: stop reading; close once every reply already owed is out (see {@link ClientDrain}). */
    void drain() {
        if (!inactive) {
            closeAfterReplies();
            scheduleFlush();
        }
    }

    private void scheduleFlush() {
        flushSlot.flushLater();
    }

    @Override
    public void flushNow() {
        writer.flush();
        if (closeWhenDrained && requests.replies().isEmpty()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == RequestBacklog.BEHIND) {
            requests.outbox().pause(PauseReason.DECODER_BEHIND);
        } else if (event == RequestBacklog.CAUGHT_UP) {
            requests.outbox().resume(PauseReason.DECODER_BEHIND);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            requests.outbox().resume(PauseReason.CLIENT_UNWRITABLE);
        } else {
            requests.outbox().pause(PauseReason.CLIENT_UNWRITABLE);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        if (counted) {
            context.connectedClients().decrementAndGet();
        }
        requests.abort();
        context.unregister(session);
        writer.discard();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        RespRequestException protocolError = protocolError(cause);
        if (protocolError != null && !inactive) {
            // Earlier requests still get their replies; then one protocol error; then the connection closes.
            metrics.protocolError();
            closeAfterReplies();
            requests.replies().addReady(Replies.error(alloc(), RedisErrors.protocolError(protocolError.getMessage())));
            return;
        }
        if (!(cause instanceof IOException)) {
            log.warn("closing client {} after an unexpected error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private static RespRequestException protocolError(Throwable cause) {
        Throwable t = cause;
        while (t != null) {
            if (t instanceof RespRequestException e) {
                return e;
            }
            t = t instanceof DecoderException ? t.getCause() : null;
        }
        return null;
    }
}
