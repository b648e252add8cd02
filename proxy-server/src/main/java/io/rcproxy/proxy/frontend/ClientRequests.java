package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.rcproxy.cluster.spi.ReadFrom;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.proxy.auth.ClientAccess;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.command.CommandFlag;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.command.KeySlots;
import io.rcproxy.proxy.command.Routing;
import io.rcproxy.proxy.metrics.CommandMetrics;
import io.rcproxy.proxy.metrics.ProxyMetrics;
import io.rcproxy.proxy.multinode.MultiNodeCommands;
import io.rcproxy.proxy.multinode.ScriptBodies;
import io.rcproxy.proxy.pinned.PinnedState;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.PauseReason;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.RedisErrors;
import io.rcproxy.proxy.reply.ReplyQueue;
import io.rcproxy.proxy.tracking.ClientTracking;
import java.util.List;
import java.util.function.Consumer;

/**
 * One client's requests: routes each (forward to a master, fan out, answer locally, hand to the pinned
 * state, or refuse), keeps the client's {@link ReplyQueue} and the reasons its reads are paused, and is the
 * {@link ClientPort} through which pinned code reaches the client. The channel itself stays with
 * {@link ClientHandler}, which feeds requests in and writes the replies out.
 *
 * <p>Backpressure: reading stops while the client has too many replies outstanding, or while a backend
 * connection it used is unwritable (and, set by the handler, while the client is not reading its replies);
 * it resumes when the cause clears, so the memory a client can pin stays bounded.
 *
 * <p>Thread: the client's event loop, which also owns every backend connection the router hands out.
 * Ownership: a forwarded request's frame passes to its {@link PendingReply}; any other request ends its
 * journey here and is released.
 */
final class ClientRequests implements ClientPort {

    private final ClientHandler handler;
    private final Channel channel;
    private final FrontendContext context;
    private final LoopRouter router;
    private final CommandTable commands;
    private final int maxPending;
    private final int maxRedirects;
    private final ReplyQueue replies;
    private final ReadPauses pauses;
    private final Runnable backendWritable = () -> resume(PauseReason.BACKEND_UNWRITABLE);
    private final ClientSession session;
    private final ClientAccess access;
    private final ProxyMetrics metrics;
    /** Keeps this client on one of each node's connections, so its pipeline stays in order. */
    private final int affinity;
    private final MultiNodeCommands multiNode;
    private final ScriptBodies scriptBodies;
    private final BusyScripts busyScripts;
    /** The request being routed: its command's metrics and when it was read. */
    private CommandMetrics measured;
    private long arrivalNanos;
    /**
     * The slot of this client's last keyed request: a script declaring no keys runs on that master first,
     * so one that reads a key the client just wrote finds it local (Redis Cluster refuses non-local keys).
     */
    private int lastSlot = ClusterCommand.ANY_SLOT;
    /** Transaction, blocking calls or subscriptions on dedicated connections; null (one check) otherwise. */
    private PinnedState pinned;
    /** CLIENT TRACKING state; a request of a client that does not track pays one boolean check. */
    private final ClientTracking tracking;
    /** Requests waiting for a CLIENT PAUSE to end. */
    private final PausedRequests paused;
    /** Whether the request being routed may write: its masters are then remembered for WAIT. */
    private boolean routingWrite;
    private final WrittenMasters written = new WrittenMasters();
    /** Null unless proxy.read-from sends reads to replicas: then whether the request being routed may go. */
    private final ReplicaReadRule replicaRule;
    private boolean routingReplicaRead;

    ClientRequests(ClientHandler handler, Channel channel, FrontendContext context, LoopRouter router,
            ClientSession session) {
        this.handler = handler;
        this.channel = channel;
        this.context = context;
        this.router = router;
        this.commands = context.commands();
        this.maxPending = context.config().maxPendingPerClient();
        this.maxRedirects = context.config().maxRedirects();
        this.replicaRule = context.config().readFrom() == ReadFrom.MASTER ? null
                : new ReplicaReadRule(context.config().readYourWritesWindow().toNanos());
        this.replies = new ReplyQueue(handler);
        this.pauses = new ReadPauses(channel.config());
        this.session = session;
        this.access = session.access();
        this.affinity = (int) session.id();
        this.multiNode = new MultiNodeCommands(context, router, affinity, maxRedirects);
        this.scriptBodies = context.scriptBodies();
        this.busyScripts = context.busyScripts();
        this.metrics = context.metrics();
        this.tracking = context.tracking().newClient(this, session::isSubscriber);
        session.tracking(tracking);
        this.paused = new PausedRequests(channel, pauses, this::routeAgain);
    }

    /**
     * Routes one request; takes ownership of it. While CLIENT PAUSE holds it, it waits with the ones read
     * after it (see {@link ClientPause}); under CLIENT REPLY OFF or SKIP its reply is dropped.
     */
    void route(RedisRequest request) {
        if (paused.holding()) {
            paused.add(request); // behind a paused one: order is kept
            return;
        }
        CommandSpec spec = commands.lookup(request);
        long pausedFor = context.pause().holds(spec);
        if (pausedFor > 0) {
            paused.hold(request, pausedFor);
            return;
        }
        replies.requestStarts();
        try {
            route(spec, request);
        } finally {
            replies.requestRouted();
        }
    }

    private void route(CommandSpec spec, RedisRequest request) {
        routingWrite = spec != null && (spec.isWrite() || spec.has(CommandFlag.MAY_REPLICATE));
        measured = metrics.command(spec);
        arrivalNanos = System.nanoTime();
        if (replicaRule != null) {
            routingReplicaRead = replicaRule.onRequest(spec, routingWrite, arrivalNanos) && !tracking.isOn();
        }
        session.interaction(spec == null ? "unknown" : spec.name(), arrivalNanos);
        if (pinned != null && pinned.holds(request)) {
            return;
        }
        String refusal = spec == null ? LocalCommands.unknownCommand(request)
                : spec.container() && request.argCount() > 1 ? LocalCommands.unknownSubcommand(request)
                : access.denial(spec, request); // NOAUTH, NOPERM; null for an unrestricted user at once
        if (refusal == null) {
            refusal = busyScripts.refusal(spec); // null (one volatile read) unless a script is busy
        }
        if (refusal != null) {
            if (pinned == null || !pinned.refused(spec, request, refusal)) {
                answerError(request, refusal);
            }
            return;
        }
        if (tracking.isOn()) { // TRACKING hook: remember the keys a tracking client reads
            tracking.onCommand(spec, request);
        }
        if (spec.routing() == Routing.PUBSUB) {
            replies.silent(false); // Redis sends pub/sub confirmations even under CLIENT REPLY OFF/SKIP
        }
        if (pinned != null) {
            if (pinned.intercepts(spec, request)) {
                return;
            }
            if (pinned.idle()) {
                pinned = null;
            }
        }
        switch (spec.routing()) {
            case SLOT, FAN_OUT -> {
                int slot = KeySlots.slotOf(spec, request);
                if (slot >= 0) {
                    lastSlot = slot;
                    ClusterCommand ownWrite = tracking.isOn() ? tracking.ownWrite(spec, request, slot) : null;
                    if (ownWrite == null) {
                        forward(request, slot);
                    } else {
                        send(ownWrite); // its entry is queued already; it completes that entry
                    }
                } else if (slot == KeySlots.NO_KEYS || slot == KeySlots.BAD_NUMKEYS) {
                    // Keyless, or keys Redis itself will reject with the command's own error text.
                    forward(request, ClusterCommand.ANY_SLOT);
                } else if (slot == KeySlots.CROSS_SLOT && spec.routing() == Routing.FAN_OUT) {
                    multiNode(spec, request);
                } else if (slot == KeySlots.CROSS_SLOT) {
                    answerError(request, RedisErrors.CROSSSLOT);
                } else {
                    answerError(request, RedisErrors.wrongArity(spec));
                }
            }
            case SCRIPT -> {
                int slot = KeySlots.slotOf(spec, request);
                if (slot != KeySlots.WRONG_ARITY && slot != KeySlots.CROSS_SLOT && scriptBodies.firstSight(spec, request)) {
                    multiNode.loadEverywhere(request, alloc()); // before the frame passes on
                }
                if (slot >= 0) {
                    lastSlot = slot;
                    busyScripts.started(spec, forward(request, slot), channel.eventLoop());
                } else if (slot == KeySlots.NO_KEYS) {
                    busyScripts.started(spec, keylessScript(request), channel.eventLoop());
                } else if (slot == KeySlots.BAD_NUMKEYS) {
                    forward(request, ClusterCommand.ANY_SLOT); // Redis's own error text
                } else if (slot == KeySlots.CROSS_SLOT) {
                    answerError(request, RedisErrors.CROSSSLOT);
                } else {
                    answerError(request, RedisErrors.wrongArity(spec));
                }
            }
            case ANY_MASTER -> {
                if (spec.acceptsArgCount(request.argCount())) {
                    forward(request, ClusterCommand.ANY_SLOT);
                } else {
                    answerError(request, RedisErrors.wrongArity(spec));
                }
            }
            case ALL_MASTERS, ALL_NODES -> {
                scriptBodies.seen(spec);
                multiNode(spec, request);
            }
            case LOCAL -> local(spec, request);
            case PINNED -> pinned().transaction(spec, request);
            case BLOCKING -> pinned().blocking(spec, request);
            case PUBSUB -> pinned().pubsub(spec, request);
            case MONITOR -> pinned().monitor(request);
            default -> answerError(request, RedisErrors.unsupported(spec));
        }
    }

    private void local(CommandSpec spec, RedisRequest request) {
        if (!spec.acceptsArgCount(request.argCount())) {
            answerError(request, RedisErrors.wrongArity(spec)); // so no handler reads past the last argument
            return;
        }
        ByteBuf reply = context.localHandler(spec).answer(request, handler);
        if (reply == null) {
            request.release(); // the handler queued its answer itself (DeferredReplies)
        } else {
            answer(request, reply);
        }
    }

    /** Sends the request's frame to the cluster; ownership of the frame passes to the pending entry, returned. */
    private PendingReply forward(RedisRequest request, int slot) {
        PendingReply entry = replies.add(request.frame(), slot, maxRedirects);
        if (replicaRule != null) {
            entry.replicaRead(routingReplicaRead); // a tracking client's reads stay where its invalidations come from
        }
        entry.measure(measured, arrivalNanos);
        send(entry);
        return entry;
    }

    /**
     * Dispatches a command for this client in its protocol and affinity: remembers the master for WAIT when
     * it writes, and pauses reading while the connection it took is unwritable.
     */
    private void send(ClusterCommand command) {
        command.affinity(affinity);
        command.resp3(session.protocol().resp3()); // the reply comes in the client's protocol, bytes as they are
        NodeConnection connection = router.dispatch(command);
        if (routingWrite && connection != null) {
            written.wrote(connection.node());
        }
        if (connection != null && !connection.isWritable() && !pauses.isPaused(PauseReason.BACKEND_UNWRITABLE)) {
            pauses.pause(PauseReason.BACKEND_UNWRITABLE);
            connection.whenWritable(backendWritable);
        }
        pauseIfTooManyPending();
    }

    @Override
    public void waitForReplicas(RedisRequest request) {
        boolean everywhere = written.everywhere();
        List<ClusterNode> targets = written.takeAll();
        owe(request, entry -> multiNode.waitForReplicas(request, targets, everywhere, entry, alloc()));
    }

    /** A request answered from several nodes' replies; it ends its journey here once its parts are built. */
    private void multiNode(CommandSpec spec, RedisRequest request) {
        if (routingWrite) {
            written.wroteEverywhere();
        }
        owe(request, entry -> multiNode.start(spec, request, entry, alloc(), session.protocol()));
    }

    /** A script declaring no keys: tried on the last key's master first (see {@code KeylessScript}). */
    private PendingReply keylessScript(RedisRequest request) {
        return owe(request, entry -> multiNode.keylessScript(request, lastSlot, entry, alloc(), session.protocol()));
    }

    /**
     * A request answered later from several nodes: {@code start} sends its parts for the entry queued in its
     * place; the request ends its journey here once they are built (a rare path: the lambda is affordable).
     */
    private PendingReply owe(RedisRequest request, Consumer<PendingReply> start) {
        PendingReply entry = replies.add(null, ClusterCommand.ANY_SLOT, 0);
        entry.measure(measured, arrivalNanos);
        try {
            start.accept(entry);
        } finally {
            request.release();
        }
        pauseIfTooManyPending();
        return entry;
    }

    private PinnedState pinned() {
        if (pinned == null) {
            pinned = new PinnedState(this);
        }
        return pinned;
    }

    private void pauseIfTooManyPending() {
        if (replies.size() >= maxPending) {
            pauses.pause(PauseReason.PENDING);
        }
    }

    // ClientPort: what pinned code may do to this client.

    @Override
    public PendingReply forwardOn(NodeConnection connection, RedisRequest request, int slot) {
        PendingReply entry = replies.add(request.frame(), slot, 0);
        entry.measure(measured, arrivalNanos);
        connection.send(entry);
        pauseIfTooManyPending();
        return entry;
    }

    @Override
    public void forwardShared(RedisRequest request, int slot) {
        forward(request, slot);
    }

    @Override
    public int maxRedirects() {
        return maxRedirects;
    }

    @Override
    public PendingReply enqueue(ByteBuf frame, int slot, int redirects) {
        PendingReply entry = replies.add(frame, slot, redirects);
        entry.measure(measured, arrivalNanos);
        pauseIfTooManyPending();
        return entry;
    }

    @Override
    public void push(ByteBuf frame) {
        replies.addReady(frame);
    }

    @Override
    public void pushMessage(ByteBuf frame) {
        replies.addMessage(frame);
    }

    @Override
    public long unwrittenBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public void closeNow() {
        channel.close(); // the handler's channelInactive cleans up
    }

    @Override
    public void reroute(RedisRequest request) {
        if (handler.isClosing()) {
            request.release();
            return;
        }
        route(request);
    }

    @Override
    public void pause(PauseReason reason) {
        pauses.pause(reason);
    }

    @Override
    public void resume(PauseReason reason) {
        pauses.resume(reason);
    }

    @Override
    public LoopRouter router() {
        return router;
    }

    @Override
    public Protocol protocol() {
        return session.protocol();
    }

    @Override
    public long clientId() {
        return session.id();
    }

    @Override
    public String address() {
        return session.addr();
    }

    @Override
    public long pubsubOutputLimit() {
        return context.config().pubsubOutputBuffer();
    }

    @Override
    public void transactionQueued(int queued) {
        session.multi(queued);
    }

    @Override
    public void blocked(boolean blocked) {
        session.blocked(blocked);
    }

    @Override
    public void subscriptions(int channels, int patterns, int shardChannels) {
        session.subscriptions(channels, patterns, shardChannels);
    }

    /** A request CLIENT PAUSE held, routed now that the pause is over. */
    private void routeAgain(RedisRequest request) {
        if (handler.isClosing()) {
            request.release();
        } else {
            route(request);
        }
    }

    /** The pause may be over (its end, or CLIENT UNPAUSE): routes the held requests in order. */
    void releaseHeld() {
        paused.release();
    }

    /** CLIENT REPLY ON, OFF or SKIP; the CLIENT REPLY request itself is answered only for ON. */
    void replyMode(boolean off, boolean skipNext) {
        replies.replyMode(off, skipNext);
    }

    /** CLIENT UNBLOCK of this client: true when it was blocked in a command. */
    boolean unblock(boolean withError) {
        return pinned != null && pinned.unblock(withError);
    }

    /** RESET: drops the transaction, subscriptions and WATCHes; blocking calls already sent still answer. */
    void reset() {
        replyMode(false, false);
        session.readonly(false);
        session.noEvict(false);
        session.noTouch(false);
        if (pinned != null) {
            pinned.reset();
        }
        tracking.off();
        session.protocol(Protocol.RESP2);
    }

    ClientTracking tracking() {
        return tracking;
    }

    ClientSession session() {
        return session;
    }

    @Override
    public void answer(RedisRequest request, ByteBuf reply) {
        try {
            replies.addReady(reply, measured, arrivalNanos);
        } finally {
            request.release();
        }
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    ReplyQueue replies() {
        return replies;
    }

    ReadPauses pauses() {
        return pauses;
    }

    /** The reply queue handed some replies to the channel: lift the pending-count pause once half drained. */
    void drained() {
        if (pauses.isPaused(PauseReason.PENDING) && replies.size() <= maxPending / 2) {
            pauses.resume(PauseReason.PENDING);
        }
    }

    /** The client is gone: drop what is owed and close every dedicated connection. */
    void abort() {
        tracking.close();
        pauses.stopForGood();
        paused.abort();
        replies.abandonAll();
        if (pinned != null) {
            pinned.abort();
            pinned = null;
        }
    }
}
