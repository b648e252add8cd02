package io.rcproxy.proxy.pinned;

import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.RedisErrors;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.PauseReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of one client's state that lives on backend connections dedicated to it: its transaction
 * (MULTI/EXEC and WATCH), its blocking commands in progress, and its subscriptions. The client's handler
 * holds one only while there is such state, so every other request pays a single null check.
 *
 * <p>Thread: the client's event loop, like every dedicated connection it opens. Ownership: each request
 * handed in passes to the part that handles it (see {@link Transaction}, {@link BlockingCall},
 * {@link Subscriber}). {@link #abort()} closes every dedicated connection at once; {@link #reset()} lets
 * answers already owed arrive first.
 */
public final class PinnedState {

    private final ClientPort client;
    private Transaction transaction;
    private Subscriber subscriber;
    private MonitorFeed monitor;
    private final List<BlockingCall> blocking = new ArrayList<>(1);
    /** Requests read while an ended transaction's replies are awaited; owned here until routed. */
    private ArrayDeque<RedisRequest> held;

    public PinnedState(ClientPort client) {
        this.client = client;
    }

    /**
     * Called first for every request while this state exists: while an ended transaction's replies are
     * awaited (see {@link #hold()}) the request is kept, in order, and true is returned.
     */
    public boolean holds(RedisRequest request) {
        if (held != null) {
            held.add(request);
            return true;
        }
        return false;
    }

    /**
     * The handler refused a request (unknown command, NOPERM, a busy script). Inside MULTI that makes EXEC
     * abort, as in Redis; an EXEC refused itself ends the transaction at once, its {@code -EXECABORT} naming
     * the refusal. True when the transaction answered the request (that EXEC), so the caller must not.
     */
    public boolean refused(CommandSpec spec, RedisRequest request, String refusal) {
        if (transaction == null || !transaction.inMulti()) {
            return false;
        }
        if (spec != null && PinnedCommand.of(spec) == PinnedCommand.EXEC) {
            transaction.abortExec(request, RedisErrors.execAbortBecause(refusal));
            return true;
        }
        transaction.refused();
        return false;
    }

    /**
     * Called for every request while this state exists: inside MULTI and in subscriber mode the state
     * decides what a request means. False: route it as usual.
     */
    public boolean intercepts(CommandSpec spec, RedisRequest request) {
        if (transaction != null && transaction.inMulti()) {
            return transaction.routeInMulti(spec, request);
        }
        if (subscriber != null && subscriber.isSubscribed()) {
            return subscriber.routeInSubscriberMode(spec, request);
        }
        return false;
    }

    /** Nothing dedicated is held: the handler may drop this state. */
    public boolean idle() {
        return held == null && (transaction == null || transaction.isIdle()) && (subscriber == null || subscriber.isIdle())
                && blocking.isEmpty() && (monitor == null || monitor.isStopped());
    }

    /** MULTI, EXEC, DISCARD, WATCH, UNWATCH, WAIT outside a transaction. */
    public void transaction(CommandSpec spec, RedisRequest request) {
        if (transaction == null) {
            transaction = new Transaction(client, this);
        }
        transaction.routeOutsideMulti(spec, request);
    }

    /**
     * An ended transaction's EXEC (or DISCARD, UNWATCH) is still on its dedicated connection: hold the
     * client's next requests, and stop reading, until it is answered. Otherwise a pipelined
     * {@code EXEC; GET k} could run the GET on a shared connection before the EXEC, which a single Redis
     * never does. Costs the client one round trip after each transaction.
     */
    void hold() {
        if (held == null) {
            held = new ArrayDeque<>(4);
            client.pause(PauseReason.PINNED);
        }
    }

    /** The ended transaction's connection has drained: route what was held, in order. */
    void released() {
        ArrayDeque<RedisRequest> requests = held;
        if (requests == null) {
            return;
        }
        held = null;
        client.resume(PauseReason.PINNED);
        RedisRequest request;
        while ((request = requests.poll()) != null) {
            client.reroute(request); // a new transaction ending on the way holds the rest again, in order
        }
    }

    /** A command that may block: on a connection of its own when it really blocks (see {@link BlockingCall}). */
    public void blocking(CommandSpec spec, RedisRequest request) {
        BlockingCall.route(client, this, spec, request);
    }

    /** CLIENT UNBLOCK: ends every blocking call in progress; false when there was none. */
    public boolean unblock(boolean withError) {
        if (blocking.isEmpty()) {
            return false;
        }
        for (BlockingCall call : List.copyOf(blocking)) {
            call.unblock(withError);
        }
        return true;
    }

    void blockingStarted(BlockingCall call) {
        blocking.add(call);
        client.blocked(true);
    }

    void blockingDone(BlockingCall call) {
        blocking.remove(call);
        client.blocked(!blocking.isEmpty());
    }

    /** (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE outside subscriber mode. */
    public void pubsub(CommandSpec spec, RedisRequest request) {
        if (subscriber == null || subscriber.isDetached()) {
            subscriber = new Subscriber(client);
        }
        subscriber.route(spec, request);
    }

    /** MONITOR: every master's feed to this client (see {@link MonitorFeed}); a second MONITOR is ignored, as in Redis. */
    public void monitor(RedisRequest request) {
        if (monitor != null && !monitor.isStopped()) {
            request.release();
            return;
        }
        monitor = MonitorFeed.start(client, request);
    }

    /** RESET: the transaction and subscriptions end; what is already owed still arrives, in order. */
    public void reset() {
        if (transaction != null) {
            transaction.reset();
            transaction = null;
        }
        if (subscriber != null) {
            subscriber.detach();
            subscriber = null;
        }
        if (monitor != null) {
            monitor.stop();
            monitor = null;
        }
    }

    /** The client is gone: close every dedicated connection now (Redis then unblocks, unsubscribes, discards). */
    public void abort() {
        if (held != null) {
            held.forEach(RedisRequest::release);
            held = null;
        }
        if (transaction != null) {
            transaction.abort();
        }
        if (subscriber != null) {
            subscriber.abort();
        }
        if (monitor != null) {
            monitor.stop();
        }
        for (BlockingCall call : List.copyOf(blocking)) {
            call.abort();
        }
        blocking.clear();
    }
}
