package io.rcproxy.proxy.tracking;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.KeySlots;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.Replies;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * One client's client-side caching: its {@link TrackingMode}, the commands that set and show it, and the
 * two ends of the feature. While tracking is on, {@link #onCommand} remembers the keys of each read in the
 * loop's {@link TrackingTable}; the loop's {@link LoopTracking} calls {@link #invalidated},
 * {@link #broadcast} and {@link #flush} as invalidations arrive, and this class sends them to the client or
 * to its REDIRECT target. Every client has one, tracking or not, because any client may be another's
 * REDIRECT target.
 *
 * <p>NOLOOP: a write to one slot travels as an {@link OwnWrite} and marks its keys in {@link OwnWrites}, so
 * the invalidation it causes is not reported. Writes to several slots (fan-out) and writes inside MULTI are
 * not marked: the client is told of them, which costs it a cache miss, never a stale value.
 *
 * <p>Thread: the client's event loop, except {@link #deliver} (any loop: hands over to this client's).
 * Ownership: every frame built here is handed to the receiving client's port, which owns it.
 */
public final class ClientTracking {

    /** Null once the client has gone: the table may still list this state, and must not pin the client. */
    private ClientPort port;
    private final EventLoop loop;
    private final Tracking shared;
    private final BooleanSupplier subscribed;
    private final TrackingMode mode = new TrackingMode();
    private final OwnWrites ownWrites = new OwnWrites();
    private LoopTracking loopTracking;
    private volatile boolean closed;
    /** Read while some link was not ready: flushed once they all are. */
    private boolean dirty;
    /**
     * Whether the client may have cached something since its last flush: a FLUSHALL reaches every master's
     * link, and one null invalidation is enough for the client (Redis, one server, sends one).
     */
    private boolean mayHoldCache;

    ClientTracking(ClientPort port, Tracking shared, BooleanSupplier subscribed) {
        this.port = port;
        this.loop = port.router().loop();
        this.shared = shared;
        this.subscribed = subscribed;
    }

    /** Whether tracking is on: the one check a request of a client that does not track pays. */
    public boolean isOn() {
        return mode.on;
    }

    boolean isBroadcast() {
        return mode.bcast;
    }

    boolean isClosed() {
        return closed;
    }

    // The request path (tracking on only).

    /** Called for every request while tracking is on, before it is routed: remembers what it reads. */
    public void onCommand(CommandSpec spec, RedisRequest request) {
        if (spec.isReadonly()) {
            mayHoldCache = true;
            if (!loopTracking.ready()) {
                dirty = true;
            }
            if (!mode.bcast && mayReceive() && mode.tracksThisRead()) {
                int keys = KeySlots.keyCount(spec, request);
                for (int n = 0; n < keys; n++) {
                    TrackedKey key = key(request, KeySlots.keyIndex(spec, request, n));
                    ownWrites.read(key);
                    loopTracking.remember(key, this);
                }
            }
        }
        if (!spec.name().startsWith("client|")) {
            mode.caching = false; // CLIENT CACHING applies to the next command only, as in Redis
        }
    }

    /**
     * NOLOOP: a write to one slot, as an {@link OwnWrite} for the caller to dispatch, so this client is not
     * told about its own change; null (the caller forwards as usual) for anything else.
     */
    public ClusterCommand ownWrite(CommandSpec spec, RedisRequest request, int slot) {
        if (!mode.on || !mode.noloop || !spec.isWrite()) {
            return null;
        }
        int count = KeySlots.keyCount(spec, request);
        if (count <= 0) {
            return null;
        }
        List<TrackedKey> keys = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            keys.add(key(request, KeySlots.keyIndex(spec, request, n)));
        }
        ownWrites.written(keys);
        PendingReply entry = port.enqueue(null, slot, 0);
        // Settled once this loop turn is over: its reads have taken the link's frames that came with the reply.
        return new OwnWrite(request.frame(), slot, port.maxRedirects(), entry,
                () -> loop.execute(() -> ownWrites.settled(keys)));
    }

    private static TrackedKey key(RedisRequest request, int arg) {
        return TrackedKey.copyOf(request.frame(), request.argOffset(arg), request.argLength(arg));
    }

    // Invalidations, on this client's loop.

    /**
     * A key this client read was modified. Returns true when the client must stay listed for the key: it
     * is its own write (NOLOOP, not told) and it read the key again since.
     */
    boolean invalidated(TrackedKey key) {
        if (closed || !mode.on || mode.bcast) {
            return false;
        }
        if (ownWrites.ownInvalidation(key)) {
            return ownWrites.takeReread(key);
        }
        send(List.of(key));
        return false;
    }

    /** BCAST: a batch of keys modified on a master; one invalidation per prefix that matches any. */
    void broadcast(List<TrackedKey> keys) {
        if (closed || !mode.on || !mode.bcast) {
            return;
        }
        List<TrackedKey> own = null; // NOLOOP: told under no prefix, however many match
        for (TrackedKey key : keys) {
            if (ownWrites.ownInvalidation(key)) {
                if (own == null) {
                    own = new ArrayList<>(1);
                }
                own.add(key);
            }
        }
        for (TrackedKey prefix : mode.prefixes) {
            List<TrackedKey> matching = null;
            for (TrackedKey key : keys) {
                if (key.startsWith(prefix) && (own == null || !own.contains(key))) {
                    if (matching == null) {
                        matching = new ArrayList<>(keys.size());
                    }
                    matching.add(key);
                }
            }
            if (matching != null) {
                send(matching);
            }
        }
    }

    /** Everything this client may have cached is stale: a null invalidation, as Redis sends on FLUSHALL. */
    void flush() {
        dirty = false;
        if (mode.on && !closed && mayHoldCache) {
            mayHoldCache = false;
            send(null);
        }
    }

    /** Every link is ready again: a client that read meanwhile drops what it read then. */
    void readyAgain() {
        if (dirty) {
            flush();
        }
    }

    /** Sends an invalidation of {@code keys} (null: a flush) to this client or its REDIRECT target. */
    private void send(List<TrackedKey> keys) {
        Protocol tracker = port.protocol();
        if (mode.redirect == 0) {
            if (tracker == Protocol.RESP3) {
                port.push(InvalidationFrames.invalidate(port.alloc(), Protocol.RESP3, keys, tracker));
                shared.invalidationSent();
            }
            return;
        }
        ClientTracking target = shared.find(mode.redirect);
        if (target == null || target.isClosed()) {
            mode.brokenRedirect = true;
            if (tracker == Protocol.RESP3) {
                port.push(InvalidationFrames.redirectBroken(port.alloc(), mode.redirect));
            }
            return;
        }
        target.deliver(keys, tracker);
    }

    /** Delivers an invalidation from a client that redirects here; from any loop. */
    void deliver(List<TrackedKey> keys, Protocol tracker) {
        if (loop.inEventLoop()) {
            deliverHere(keys, tracker);
        } else {
            loop.execute(() -> deliverHere(keys, tracker));
        }
    }

    private void deliverHere(List<TrackedKey> keys, Protocol tracker) {
        if (closed) {
            return;
        }
        Protocol receiver = port.protocol();
        if (receiver == Protocol.RESP3) {
            port.push(InvalidationFrames.invalidate(port.alloc(), receiver, keys, tracker));
            shared.invalidationSent();
        } else if (subscribed.getAsBoolean()) {
            // A RESP2 connection can take it only as a pub/sub message, so only in subscriber mode (as in
            // Redis), and within the subscriber's output limit like any message.
            if (port.unwrittenBytes() > port.pubsubOutputLimit()) {
                port.closeNow();
                return;
            }
            port.push(InvalidationFrames.invalidate(port.alloc(), receiver, keys, tracker));
            shared.invalidationSent();
        }
    }

    private boolean mayReceive() {
        return mode.redirect != 0 || port.protocol() == Protocol.RESP3;
    }

    // The commands.

    /** CLIENT TRACKING ...: the reply, or null when it is owed later (the request is then released here). */
    public ByteBuf tracking(RedisRequest request) {
        if (request.argCount() < 3) {
            return error("ERR wrong number of arguments for 'client|tracking' command");
        }
        TrackingRequest r = TrackingRequest.parse(request, shared::exists);
        if (r.error() != null) {
            return error(r.error());
        }
        if (!r.on()) {
            off();
            return Replies.ok();
        }
        String refusal = mode.refusal(r);
        if (refusal != null) {
            return error(refusal);
        }
        if (!mode.on) {
            mayHoldCache = true;
            loopTracking = shared.loop(port.router());
        }
        mode.enable(r);
        loopTracking.join(this);
        if (loopTracking.ready()) {
            return Replies.ok();
        }
        // The first tracking client of the loop: +OK once every master's link is ready, so that nothing
        // it reads from now on can be modified unseen.
        PendingReply owed = port.enqueue(null, PendingReply.ANY_SLOT, 0);
        loopTracking.whenReady(() -> owed.complete(Replies.ok()), shared.config().linkTimeout().toMillis());
        return null;
    }

    /** CLIENT TRACKING OFF, RESET, or the client leaving. */
    public void off() {
        if (!mode.on) {
            return;
        }
        mode.disable();
        ownWrites.clear();
        dirty = false;
        loopTracking.leave(this);
    }

    /** The client has gone: nothing is sent to it any more. */
    public void close() {
        closed = true;
        off();
        port = null;
    }

    /** CLIENT CACHING YES|NO. */
    public ByteBuf caching(RedisRequest request) {
        if (request.argCount() != 3) {
            return error("ERR wrong number of arguments for 'client|caching' command");
        }
        String refusal = mode.caching(request.argString(2).toLowerCase(Locale.ROOT));
        return refusal == null ? Replies.ok() : error(refusal);
    }

    /** CLIENT GETREDIR. */
    public ByteBuf getRedir(RedisRequest request) {
        if (request.argCount() != 2) {
            return error("ERR wrong number of arguments for 'client|getredir' command");
        }
        return Replies.integer(port.alloc(), mode.shownRedirect());
    }

    /** CLIENT TRACKINGINFO. */
    public ByteBuf trackingInfo(RedisRequest request) {
        if (request.argCount() != 2) {
            return error("ERR wrong number of arguments for 'client|trackinginfo' command");
        }
        return mode.info(port.alloc(), port.protocol());
    }

    /** For CLIENT LIST's {@code redir=}: the REDIRECT target, 0 for none, -1 while tracking is off. */
    public long shownRedirect() {
        return mode.shownRedirect();
    }

    /** For CLIENT LIST: t (tracking), R (broken redirect), B (BCAST), as Redis shows them. */
    public String listFlags() {
        return mode.listFlags();
    }

    private ByteBuf error(String message) {
        return Replies.error(port.alloc(), message);
    }
}
