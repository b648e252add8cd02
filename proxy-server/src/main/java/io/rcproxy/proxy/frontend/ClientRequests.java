package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.spi.ReadFrom;
import io.rcproxy.proxy.auth.ClientAccess;
import io.rcproxy.proxy.command.CommandFlag;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.command.KeySlots;
import io.rcproxy.proxy.command.Routing;
import io.rcproxy.proxy.metrics.ProxyMetrics;
import io.rcproxy.proxy.multinode.ScriptBodies;
import io.rcproxy.proxy.pinned.PinnedState;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.RedisErrors;
import io.rcproxy.proxy.reply.ReplyQueue;
import io.rcproxy.proxy.tracking.ClientTracking;

/**
 * One client's requests: decides where each goes (forward to a master, fan out, answer locally, hand to
 * the pinned state, or refuse) and hands it to the {@link ClientOutbox}, which sends it and queues its
 * reply. Also the client's controls that change how later requests are routed (CLIENT REPLY, UNBLOCK,
 * RESET, CLIENT PAUSE's held requests). The channel itself stays with {@link ClientHandler}, which feeds
 * requests in and writes the replies out.
 *
 * <p>Thread: the client's event loop. Ownership: a request passes to the outbox or the pinned state, or
 * ends its journey here and is released.
 */
final class ClientRequests {

    private final ClientHandler handler;
    private final FrontendContext context;
    private final CommandTable commands;
    private final ClientSession session;
    private final ClientAccess access;
    private final ProxyMetrics metrics;
    private final ClientOutbox outbox;
    private final ScriptBodies scriptBodies;
    private final BusyScripts busyScripts;
    private final EventLoop loop;
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
    /** Null unless proxy.read-from sends reads to replicas: then whether the request being routed may go. */
    private final ReplicaReadRule replicaRule;

    ClientRequests(ClientHandler handler, Channel channel, FrontendContext context, LoopRouter router,
            ClientSession session) {
        this.handler = handler;
        this.context = context;
        this.commands = context.commands();
        this.replicaRule = context.config().readFrom() == ReadFrom.MASTER ? null
                : new ReplicaReadRule(context.config().readYourWritesWindow().toNanos(),
                        context.metrics()::readYourWritesRead);
        this.session = session;
        this.access = session.access();
        this.outbox = new ClientOutbox(handler, channel, context, router, session, this::route);
        this.scriptBodies = context.scriptBodies();
        this.busyScripts = context.busyScripts();
        this.loop = channel.eventLoop();
        this.metrics = context.metrics();
        this.tracking = context.tracking().newClient(outbox, session::isSubscriber);
        session.tracking(tracking);
        this.paused = new PausedRequests(channel, outbox.pauses(), this::routeAgain);
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
        ReplyQueue replies = outbox.replies();
        replies.requestStarts();
        try {
            route(spec, request);
        } finally {
            replies.requestRouted();
        }
    }

    private void route(CommandSpec spec, RedisRequest request) {
        boolean write = spec != null && (spec.isWrite() || spec.has(CommandFlag.MAY_REPLICATE));
        long arrivalNanos = System.nanoTime();
        boolean replicaRead = replicaRule != null && replicaRule.onRequest(spec, write, arrivalNanos)
                && !tracking.isOn(); // a tracking client's reads stay where its invalidations come from
        outbox.begin(metrics.command(spec), arrivalNanos, write, replicaRead);
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
                outbox.answerError(request, refusal);
            }
            return;
        }
        if (tracking.isOn()) { // TRACKING hook: remember the keys a tracking client reads
            tracking.onCommand(spec, request);
        }
        if (spec.routing() == Routing.PUBSUB) {
            outbox.replies().silent(false); // Redis sends pub/sub confirmations even under CLIENT REPLY OFF/SKIP
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
            case SLOT, FAN_OUT -> keyed(spec, request);
            case SCRIPT -> script(spec, request);
            case ANY_MASTER -> {
                if (spec.acceptsArgCount(request.argCount())) {
                    outbox.forward(request, ClusterCommand.ANY_SLOT);
                } else {
                    outbox.answerError(request, RedisErrors.wrongArity(spec));
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
            default -> outbox.answerError(request, RedisErrors.unsupported(spec));
        }
    }

    /** A command routed by its keys: to their slot's master, split by slot (fan_out), or refused. */
    private void keyed(CommandSpec spec, RedisRequest request) {
        int slot = KeySlots.slotOf(spec, request);
        if (slot >= 0) {
            lastSlot = slot;
            ClusterCommand ownWrite = tracking.isOn() ? tracking.ownWrite(spec, request, slot) : null;
            if (ownWrite == null) {
                outbox.forward(request, slot);
            } else {
                outbox.send(ownWrite); // its entry is queued already; it completes that entry
            }
        } else if (slot == KeySlots.NO_KEYS || slot == KeySlots.BAD_NUMKEYS) {
            // Keyless, or keys Redis itself will reject with the command's own error text.
            outbox.forward(request, ClusterCommand.ANY_SLOT);
        } else if (slot == KeySlots.CROSS_SLOT && spec.routing() == Routing.FAN_OUT) {
            multiNode(spec, request);
        } else if (slot == KeySlots.CROSS_SLOT) {
            outbox.answerError(request, RedisErrors.CROSSSLOT);
        } else {
            outbox.answerError(request, RedisErrors.wrongArity(spec));
        }
    }

    /**
     * EVAL, EVALSHA, FCALL and their _RO forms: to the declared keys' master, or with none master by master
     * ({@code KeylessScript}); each one sent is watched for the busy threshold ({@link BusyScripts}).
     */
    private void script(CommandSpec spec, RedisRequest request) {
        int slot = KeySlots.slotOf(spec, request);
        if (slot != KeySlots.WRONG_ARITY && slot != KeySlots.CROSS_SLOT && scriptBodies.firstSight(spec, request)) {
            outbox.multiNode().loadEverywhere(request, outbox.alloc()); // before the frame passes on
        }
        if (slot >= 0) {
            lastSlot = slot;
            busyScripts.started(spec, outbox.forward(request, slot), loop);
        } else if (slot == KeySlots.NO_KEYS) {
            busyScripts.started(spec, outbox.owe(request, entry -> outbox.multiNode().keylessScript(request, lastSlot,
                    entry, outbox.alloc(), session.protocol())), loop);
        } else if (slot == KeySlots.BAD_NUMKEYS) {
            outbox.forward(request, ClusterCommand.ANY_SLOT); // Redis's own error text
        } else if (slot == KeySlots.CROSS_SLOT) {
            outbox.answerError(request, RedisErrors.CROSSSLOT);
        } else {
            outbox.answerError(request, RedisErrors.wrongArity(spec));
        }
    }

    private void local(CommandSpec spec, RedisRequest request) {
        if (!spec.acceptsArgCount(request.argCount())) {
            outbox.answerError(request, RedisErrors.wrongArity(spec)); // so no handler reads past the last argument
            return;
        }
        ByteBuf reply = context.localHandler(spec).answer(request, handler);
        if (reply == null) {
            request.release(); // the handler queued its answer itself (DeferredReplies)
        } else {
            outbox.answer(request, reply);
        }
    }

    /** A request answered from several nodes' replies; it ends its journey here once its parts are built. */
    private void multiNode(CommandSpec spec, RedisRequest request) {
        if (outbox.routingWrite()) {
            outbox.wroteEverywhere();
        }
        outbox.owe(request, entry -> outbox.multiNode().start(spec, request, entry, outbox.alloc(), session.protocol()));
    }

    private PinnedState pinned() {
        if (pinned == null) {
            pinned = new PinnedState(outbox);
        }
        return pinned;
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
        outbox.replies().replyMode(off, skipNext);
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

    /** Where this client's requests go out and its replies queue: the {@link ClientPort} of pinned code. */
    ClientOutbox outbox() {
        return outbox;
    }

    ReplyQueue replies() {
        return outbox.replies();
    }

    ReadPauses pauses() {
        return outbox.pauses();
    }

    /** The client is gone: drop what is owed and close every dedicated connection. */
    void abort() {
        tracking.close();
        outbox.pauses().stopForGood();
        paused.abort();
        outbox.replies().abandonAll();
        if (pinned != null) {
            pinned.abort();
            pinned = null;
        }
    }
}
