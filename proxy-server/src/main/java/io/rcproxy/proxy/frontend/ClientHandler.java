package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.rcproxy.cluster.ClusterCommand;
import io.rcproxy.cluster.connection.CoalescingWriter;
import io.rcproxy.cluster.connection.NodeConnection;
import io.rcproxy.cluster.dispatch.LoopFlusher;
import io.rcproxy.cluster.dispatch.LoopRouter;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.command.KeySlots;
import io.rcproxy.proxy.command.Routing;
import io.rcproxy.proxy.metrics.CommandMetrics;
import io.rcproxy.proxy.metrics.ProxyMetrics;
import io.rcproxy.proxy.multinode.MultiNodeCommands;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.protocol.RejectedRequest;
import io.rcproxy.proxy.protocol.RequestBacklog;
import io.rcproxy.proxy.protocol.RespRequestException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one client connection: routes each request (forward to a master, answer locally, or refuse)
 * and lets its {@link ReplyQueue} write the replies back in request order.
 *
 * <p>Backpressure: reading stops while the client has too many replies outstanding, while the client is
 * not reading its replies (channel unwritable), while a backend connection it used is unwritable, or while
 * the decoder has undecoded bytes it set aside to let the loop serve others ({@link RequestBacklog}); it
 * resumes when the cause clears, so the memory a client can pin stays bounded. A request the decoder
 * refused for lack of buffer memory ({@link RejectedRequest}) is answered with its error, in order.
 *
 * <p>Thread: the client's event loop, which also owns every backend connection the router hands out.
 * Ownership: a forwarded request's frame passes to its {@link PendingReply}; any other request ends its
 * journey here and is released.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter implements ReplyQueue.Sink, LoopFlusher.Flushable {

    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

    static final String CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";

    private static final int PAUSED_PENDING = 1;
    private static final int PAUSED_CLIENT_UNWRITABLE = 2;
    private static final int PAUSED_BACKEND_UNWRITABLE = 4;
    private static final int PAUSED_PINNED = 8;
    private static final int PAUSED_DECODER_BEHIND = 16;

    private final FrontendContext context;
    private final LoopRouter router;
    private final CommandTable commands;
    private final int maxPending;
    private final int maxRedirects;
    private final ReplyQueue replies = new ReplyQueue(this);
    private final LoopFlusher flusher;
    private final Runnable backendWritable = () -> resume(PAUSED_BACKEND_UNWRITABLE);
    private final ClientSession session;
    private final ProxyMetrics metrics;
    /** The request being routed: its command's metrics and when it was read. */
    private CommandMetrics measured;
    private long arrivalNanos;
    /** Keeps this client on one of each node's connections, so its pipeline stays in order. */
    private final int affinity;
    private final MultiNodeCommands multiNode;
    private ChannelHandlerContext ctx;
    private CoalescingWriter writer;
    private boolean flushScheduled;
    private boolean closeWhenDrained;
    private boolean inactive;
    private boolean counted;
    private int pausedFor;
    /** Transaction, blocking calls or subscriptions on dedicated connections; null (one check) otherwise. */
    private PinnedState pinned;

    ClientHandler(FrontendContext context, LoopRouter router) {
        this.context = context;
        this.router = router;
        this.flusher = router.flusher();
        this.commands = context.commands();
        this.maxPending = context.config().maxPendingPerClient();
        this.maxRedirects = context.config().maxRedirects();
        this.session = new ClientSession(context.newClientId());
        this.affinity = (int) session.id();
        this.multiNode = new MultiNodeCommands(context, router, affinity, maxRedirects);
        this.metrics = context.metrics();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.writer = new CoalescingWriter(ctx.channel());
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
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(Replies.error(ctx.alloc(), "ERR max number of clients reached"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RejectedRequest rejected) {
            if (!closeWhenDrained && !inactive) {
                replies.addReady(Replies.error(alloc(), rejected.error()));
            }
            return;
        }
        RedisRequest request = (RedisRequest) msg;
        if (closeWhenDrained || inactive) {
            request.release();
            return;
        }
        route(request);
    }

    private void route(RedisRequest request) {
        CommandSpec spec = commands.lookup(request);
        measured = metrics.command(spec);
        arrivalNanos = System.nanoTime();
        session.interaction(spec == null ? "unknown" : spec.name(), arrivalNanos);
        if (pinned != null) {
            if (pinned.intercepts(spec, request)) {
                return;
            }
            if (pinned.idle()) {
                pinned = null;
            }
        }
        if (spec == null) {
            answer(request, Replies.error(alloc(), LocalCommands.unknownCommand(request)));
            return;
        }
        if (spec.container() && request.argCount() > 1) {
            answer(request, Replies.error(alloc(), LocalCommands.unknownSubcommand(request)));
            return;
        }
        switch (spec.routing()) {
            case SLOT, FAN_OUT -> {
                int slot = KeySlots.slotOf(spec, request);
                if (slot >= 0) {
                    forward(request, slot);
                } else if (slot == KeySlots.NO_KEYS || slot == KeySlots.BAD_NUMKEYS) {
                    // Keyless, or keys Redis itself will reject with the command's own error text.
                    forward(request, ClusterCommand.ANY_SLOT);
                } else if (slot == KeySlots.CROSS_SLOT && spec.routing() == Routing.FAN_OUT) {
                    multiNode(spec, request);
                } else if (slot == KeySlots.CROSS_SLOT) {
                    answer(request, Replies.error(alloc(), CROSSSLOT));
                } else {
                    answer(request, Replies.error(alloc(), LocalCommands.wrongArity(spec)));
                }
            }
            case ANY_MASTER -> {
                if (spec.acceptsArgCount(request.argCount())) {
                    forward(request, ClusterCommand.ANY_SLOT);
                } else {
                    answer(request, Replies.error(alloc(), LocalCommands.wrongArity(spec)));
                }
            }
            case ALL_MASTERS -> multiNode(spec, request);
            case LOCAL -> answer(request, context.localHandler(spec).answer(request, this));
            case PINNED -> pinned().transaction(spec, request);
            case BLOCKING -> pinned().blocking(spec, request);
            case PUBSUB -> pinned().pubsub(spec, request);
            default -> answer(request, Replies.error(alloc(), LocalCommands.unsupported(spec)));
        }
    }

    /** Sends the request's frame to the cluster; ownership of the frame passes to the pending entry. */
    private void forward(RedisRequest request, int slot) {
        PendingReply entry = replies.add(request.frame(), slot, maxRedirects);
        entry.affinity(affinity);
        entry.measure(measured, arrivalNanos);
        NodeConnection connection = router.dispatch(entry);
        if (connection != null && !connection.isWritable() && (pausedFor & PAUSED_BACKEND_UNWRITABLE) == 0) {
            pause(PAUSED_BACKEND_UNWRITABLE);
            connection.whenWritable(backendWritable);
        }
        if (replies.size() >= maxPending) {
            pause(PAUSED_PENDING);
        }
    }

    /** A request answered from several nodes' replies; it ends its journey here once its parts are built. */
    private void multiNode(CommandSpec spec, RedisRequest request) {
        PendingReply entry = replies.add(null, ClusterCommand.ANY_SLOT, 0);
        entry.measure(measured, arrivalNanos);
        try {
            multiNode.start(spec, request, entry, alloc());
        } finally {
            request.release();
        }
        if (replies.size() >= maxPending) {
            pause(PAUSED_PENDING);
        }
    }

    private PinnedState pinned() {
        if (pinned == null) {
            pinned = new PinnedState(this);
        }
        return pinned;
    }

    /**
     * Sends the request on a dedicated connection, no redirect followed; the frame passes to the entry,
     * which is returned so the caller can tell its reply apart.
     */
    PendingReply forwardOn(NodeConnection connection, RedisRequest request, int slot) {
        PendingReply entry = replies.add(request.frame(), slot, 0);
        entry.measure(measured, arrivalNanos);
        connection.send(entry);
        if (replies.size() >= maxPending) {
            pause(PAUSED_PENDING);
        }
        return entry;
    }

    /** Forwards through the multiplexed connections, as a SLOT or ANY_MASTER command would be. */
    void forwardShared(RedisRequest request, int slot) {
        forward(request, slot);
    }

    /** Appends an entry the caller completes later; it owns {@code frame} (may be null) until it finishes. */
    PendingReply newEntry(ByteBuf frame, int slot, int redirects) {
        PendingReply entry = replies.add(frame, slot, redirects);
        entry.measure(measured, arrivalNanos);
        if (replies.size() >= maxPending) {
            pause(PAUSED_PENDING);
        }
        return entry;
    }

    /** Queues a reply with no request behind it (a published message); goes out after every earlier reply. */
    void push(ByteBuf frame) {
        replies.addReady(frame);
    }

    /** Bytes handed to the client's socket and not yet written: how far behind a subscriber is. */
    long unwrittenBytes() {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Closes the client at once (a subscriber over its output limit); channelInactive cleans up. */
    void closeNow() {
        ctx.close();
    }

    /** RESET: drops the transaction, subscriptions and WATCHes; blocking calls already sent still answer. */
    void reset() {
        if (pinned != null) {
            pinned.reset();
        }
    }

    /** Stops reading while a transaction's last replies are awaited (see {@link PinnedState#hold}). */
    void pauseForPinned() {
        pause(PAUSED_PINNED);
    }

    void resumeForPinned() {
        resume(PAUSED_PINNED);
    }

    /** Routes a request that was held back, as if it had just arrived. */
    void reroute(RedisRequest request) {
        if (closeWhenDrained || inactive) {
            request.release();
            return;
        }
        route(request);
    }

    LoopRouter router() {
        return router;
    }

    ClientSession session() {
        return session;
    }

    FrontendContext context() {
        return context;
    }

    /** Queues a reply the proxy built itself and releases the request, which ends its journey here. */
    void answer(RedisRequest request, ByteBuf reply) {
        try {
            replies.addReady(reply, measured, arrivalNanos);
        } finally {
            request.release();
        }
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
        if ((pausedFor & PAUSED_PENDING) != 0 && replies.size() <= maxPending / 2) {
            resume(PAUSED_PENDING);
        }
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    /** QUIT: stop reading; close once every earlier reply and this one are out. */
    void closeAfterReplies() {
        closeWhenDrained = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** Shutdown: stop reading; close once every reply already owed is out (see {@link ClientDrain}). */
    void drain() {
        if (!inactive) {
            closeAfterReplies();
            scheduleFlush();
        }
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            flusher.flushLater(this);
        }
    }

    @Override
    public void flushNow() {
        flushScheduled = false;
        writer.flush();
        if (closeWhenDrained && replies.isEmpty()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void pause(int reason) {
        boolean wasReading = pausedFor == 0;
        pausedFor |= reason;
        if (wasReading) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void resume(int reason) {
        if ((pausedFor & reason) == 0) {
            return;
        }
        pausedFor &= ~reason;
        if (pausedFor == 0 && !closeWhenDrained && !inactive) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == RequestBacklog.BEHIND) {
            pause(PAUSED_DECODER_BEHIND);
        } else if (event == RequestBacklog.CAUGHT_UP) {
            resume(PAUSED_DECODER_BEHIND);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            resume(PAUSED_CLIENT_UNWRITABLE);
        } else {
            pause(PAUSED_CLIENT_UNWRITABLE);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        if (counted) {
            context.connectedClients().decrementAndGet();
        }
        replies.abandonAll();
        if (pinned != null) {
            pinned.abort();
            pinned = null;
        }
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
            replies.addReady(Replies.error(alloc(), "ERR Protocol error: " + protocolError.getMessage()));
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
