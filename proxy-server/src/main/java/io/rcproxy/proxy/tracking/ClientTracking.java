package io.rcproxy.proxy.tracking;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.KeySlots;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.Replies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * One client's CLIENT TRACKING state, as Redis keeps it per connection: on or off, the mode (default,
 * BCAST with prefixes, OPTIN/OPTOUT with CLIENT CACHING, NOLOOP), the REDIRECT target; and the commands
 * that set and show it. While tracking is on, {@link #onCommand} remembers the keys of each read in the
 * loop's {@link TrackingTable}, and the loop's {@link LoopTracking} calls {@link #invalidated},
 * {@link #broadcast} and {@link #flush} as invalidations arrive. Every client has one, tracking or not,
 * because any client may be another's REDIRECT target.
 *
 * <p>NOLOOP: a write the client sends to one slot travels as an {@link OwnWrite} and marks its keys; the
 * first invalidation of a marked key that arrives before the end of the loop turn that reads the write's
 * reply is counted as the write's own and not reported (Redis writes a BCAST batch to the link before the
 * reply). Writes to several slots (fan-out) and writes inside MULTI are not marked: the client is told
 * about them, which costs it a cache miss, never a stale value.
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
    private LoopTracking loopTracking;
    private volatile boolean closed;
    private boolean on;
    private boolean bcast;
    private boolean optin;
    private boolean optout;
    private boolean noloop;
    /** CLIENT CACHING YES (OPTIN) or NO (OPTOUT) given for the next command. */
    private boolean caching;
    private boolean brokenRedirect;
    private long redirect;
    /** BCAST prefixes, in byte order as CLIENT TRACKINGINFO lists them; null outside BCAST. */
    private TreeSet<TrackedKey> prefixes;
    /** Read while some link was not ready: flushed once they all are. */
    private boolean dirty;
    /**
     * Whether the client may have cached something since its last flush: a FLUSHALL reaches every master's
     * link, and one null invalidation is enough for the client (Redis, one server, sends one).
     */
    private boolean mayHoldCache;
    /** NOLOOP: keys of this client's own writes whose invalidations may still arrive; null when none. */
    private HashMap<TrackedKey, OwnWrite.Mark> ownWrites;

    ClientTracking(ClientPort port, Tracking shared, BooleanSupplier subscribed) {
        this.port = port;
        this.loop = port.router().loop();
        this.shared = shared;
        this.subscribed = subscribed;
    }

    /** Whether tracking is on: the one check a request of a client that does not track pays. */
    public boolean isOn() {
        return on;
    }

    boolean isBroadcast() {
        return bcast;
    }

    boolean isClosed() {
        return closed;
    }

    // The request path (tracking on only).

    /** Called for every request while tracking is on, before it is routed: remembers what it reads. */
    public void onCommand(CommandSpec spec, RedisRequest request) {
        boolean clientCommand = spec.name().startsWith("client|");
        if (spec.isReadonly()) {
            mayHoldCache = true;
            if (!loopTracking.ready()) {
                dirty = true;
            }
            if (!bcast && mayReceive() && (optin ? caching : !optout || !caching)) {
                remember(spec, request);
            }
        }
        if (!clientCommand) {
            caching = false; // CLIENT CACHING applies to the next command only, as in Redis
        }
    }

    private void remember(CommandSpec spec, RedisRequest request) {
        int keys = KeySlots.keyCount(spec, request);
        for (int n = 0; n < keys; n++) {
            int i = KeySlots.keyIndex(spec, request, n);
            TrackedKey key = TrackedKey.copyOf(request.frame(), request.argOffset(i), request.argLength(i));
            if (ownWrites != null) {
                OwnWrite.Mark mark = ownWrites.get(key);
                if (mark != null) {
                    mark.reread = true;
                }
            }
            loopTracking.remember(key, this);
        }
    }

    /**
     * NOLOOP: sends a write to one slot as an {@link OwnWrite} so this client is not told about its own
     * change; false (the caller forwards as usual) for anything else.
     */
    public boolean forwardOwnWrite(CommandSpec spec, RedisRequest request, int slot, int affinity) {
        if (!on || !noloop || !spec.isWrite()) {
            return false;
        }
        int count = KeySlots.keyCount(spec, request);
        if (count <= 0) {
            return false;
        }
        List<TrackedKey> keys = new ArrayList<>(count);
        if (ownWrites == null) {
            ownWrites = new HashMap<>();
        }
        for (int n = 0; n < count; n++) {
            int i = KeySlots.keyIndex(spec, request, n);
            TrackedKey key = TrackedKey.copyOf(request.frame(), request.argOffset(i), request.argLength(i));
            keys.add(key);
            OwnWrite.Mark mark = ownWrites.computeIfAbsent(key, k -> new OwnWrite.Mark());
            mark.writes++;
            mark.unseen++;
        }
        PendingReply entry = port.enqueue(null, slot, 0);
        // Redis writes a BCAST batch to the link before the reply to the write, so by the end of the loop
        // turn that reads the reply the write's own invalidation has normally been read too.
        OwnWrite write = new OwnWrite(request.frame(), slot, port.maxRedirects(), entry,
                () -> loop.execute(() -> settled(keys)));
        write.affinity(affinity);
        port.router().dispatch(write);
        return true;
    }

    /** Every invalidation the own write of {@code keys} could cause has arrived. */
    private void settled(List<TrackedKey> keys) {
        if (ownWrites == null) {
            return;
        }
        for (TrackedKey key : keys) {
            OwnWrite.Mark mark = ownWrites.get(key);
            if (mark == null) {
                continue;
            }
            mark.writes--;
            mark.unseen = Math.min(mark.unseen, mark.writes); // a write that changed nothing causes none
            if (mark.writes <= 0) {
                ownWrites.remove(key);
            }
        }
        if (ownWrites.isEmpty()) {
            ownWrites = null;
        }
    }

    // Invalidations, on this client's loop.

    /**
     * A key this client read was modified. Returns true when the client must stay listed for the key: it
     * is its own write (NOLOOP, not told) and it read the key again since.
     */
    boolean invalidated(TrackedKey key) {
        if (closed || !on || bcast) {
            return false;
        }
        if (ownInvalidation(key)) {
            OwnWrite.Mark mark = ownWrites.get(key);
            boolean keep = mark.reread;
            mark.reread = false;
            return keep;
        }
        send(List.of(key));
        return false;
    }

    /** NOLOOP: whether this invalidation of {@code key} is (counted as) the one of this client's own write. */
    private boolean ownInvalidation(TrackedKey key) {
        OwnWrite.Mark mark = ownWrites == null ? null : ownWrites.get(key);
        if (mark == null || mark.unseen <= 0) {
            return false;
        }
        mark.unseen--;
        return true;
    }

    /** BCAST: a batch of keys modified on a master; one invalidation per prefix that matches any. */
    void broadcast(List<TrackedKey> keys) {
        if (closed || !on || !bcast) {
            return;
        }
        for (TrackedKey prefix : prefixes) {
            List<TrackedKey> matching = null;
            for (TrackedKey key : keys) {
                if (key.startsWith(prefix) && !ownInvalidation(key)) {
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
        if (on && !closed && mayHoldCache) {
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
        if (redirect == 0) {
            if (tracker == Protocol.RESP3) {
                port.push(InvalidationFrames.invalidate(port.alloc(), Protocol.RESP3, keys, tracker));
                shared.invalidationSent();
            }
            return;
        }
        ClientTracking target = shared.find(redirect);
        if (target == null || target.isClosed()) {
            brokenRedirect = true;
            if (tracker == Protocol.RESP3) {
                port.push(InvalidationFrames.redirectBroken(port.alloc(), redirect));
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
        // A RESP2 connection can take it only as a pub/sub message, so only in subscriber mode (as in Redis).
        if (receiver == Protocol.RESP3 || subscribed.getAsBoolean()) {
            port.push(InvalidationFrames.invalidate(port.alloc(), receiver, keys, tracker));
            shared.invalidationSent();
        }
    }

    private boolean mayReceive() {
        return redirect != 0 || port.protocol() == Protocol.RESP3;
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
        String refusal = refusal(r);
        if (refusal != null) {
            return error(refusal);
        }
        enable(r);
        if (loopTracking.ready()) {
            return Replies.ok();
        }
        // The first tracking client of the loop: +OK once every master's link is ready, so that nothing
        // it reads from now on can be modified unseen.
        PendingReply owed = port.enqueue(null, PendingReply.ANY_SLOT, 0);
        request.release();
        loopTracking.whenReady(() -> owed.complete(Replies.ok()), shared.config().linkTimeout().toMillis());
        return null;
    }

    private String refusal(TrackingRequest r) {
        if (!r.bcast() && !r.prefixes().isEmpty()) {
            return "ERR PREFIX option requires BCAST mode to be enabled";
        }
        if (on && bcast != r.bcast()) {
            return "ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.";
        }
        if (r.bcast() && (r.optin() || r.optout())) {
            return "ERR OPTIN and OPTOUT are not compatible with BCAST";
        }
        if (r.optin() && r.optout()) {
            return "ERR You can't specify both OPTIN mode and OPTOUT mode";
        }
        if ((r.optin() && optout) || (r.optout() && optin)) {
            return "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.";
        }
        return r.bcast() ? prefixCollision(r.prefixes()) : null;
    }

    private String prefixCollision(List<TrackedKey> wanted) {
        for (int i = 0; i < wanted.size(); i++) {
            TrackedKey prefix = wanted.get(i);
            if (prefixes != null) {
                for (TrackedKey existing : prefixes) {
                    if (existing.overlaps(prefix)) {
                        return "ERR Prefix '" + prefix + "' overlaps with an existing prefix '" + existing
                                + "'. Prefixes for a single client must not overlap.";
                    }
                }
            }
            for (int j = i + 1; j < wanted.size(); j++) {
                if (prefix.overlaps(wanted.get(j))) {
                    return "ERR Prefix '" + prefix + "' overlaps with another provided prefix '" + wanted.get(j)
                            + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    private void enable(TrackingRequest r) {
        if (!on) {
            on = true;
            mayHoldCache = true;
            loopTracking = shared.loop(port.router());
        }
        brokenRedirect = false;
        redirect = r.redirect();
        bcast = r.bcast();
        if (bcast) {
            if (prefixes == null) {
                prefixes = new TreeSet<>();
            }
            if (r.prefixes().isEmpty()) {
                prefixes.add(new TrackedKey(new byte[0]));
            }
            prefixes.addAll(r.prefixes());
        }
        optin = r.optin();
        optout = r.optout();
        noloop = r.noloop();
        loopTracking.join(this);
    }

    /** CLIENT TRACKING OFF, RESET, or the client leaving. */
    public void off() {
        if (!on) {
            return;
        }
        on = false;
        bcast = optin = optout = noloop = caching = brokenRedirect = false;
        prefixes = null;
        ownWrites = null;
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
        if (!on) {
            return error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN "
                    + "or OPTOUT mode enabled");
        }
        String answer = request.argString(2).toLowerCase(Locale.ROOT);
        if (answer.equals("yes")) {
            if (!optin) {
                return error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (answer.equals("no")) {
            if (!optout) {
                return error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            return error(TrackingRequest.SYNTAX);
        }
        caching = true;
        return Replies.ok();
    }

    /** CLIENT GETREDIR. */
    public ByteBuf getRedir(RedisRequest request) {
        if (request.argCount() != 2) {
            return error("ERR wrong number of arguments for 'client|getredir' command");
        }
        return Replies.integer(port.alloc(), on ? redirect : -1);
    }

    /** CLIENT TRACKINGINFO. */
    public ByteBuf trackingInfo(RedisRequest request) {
        if (request.argCount() != 2) {
            return error("ERR wrong number of arguments for 'client|trackinginfo' command");
        }
        List<String> flags = new ArrayList<>(6);
        flags.add(on ? "on" : "off");
        if (bcast) {
            flags.add("bcast");
        }
        if (optin) {
            flags.add("optin");
            if (caching) {
                flags.add("caching-yes");
            }
        }
        if (optout) {
            flags.add("optout");
            if (caching) {
                flags.add("caching-no");
            }
        }
        if (noloop) {
            flags.add("noloop");
        }
        if (brokenRedirect) {
            flags.add("broken_redirect");
        }
        return TrackingInfoReply.encode(port.alloc(), port.protocol(), flags, on ? redirect : -1,
                prefixes == null ? List.of() : prefixes);
    }

    /** CLIENT LIST flags Redis adds for tracking: t (tracking), R (broken redirect), B (BCAST). */
    public String listFlags() {
        return (on ? "t" : "") + (brokenRedirect ? "R" : "") + (bcast ? "B" : "");
    }

    private ByteBuf error(String message) {
        return Replies.error(port.alloc(), message);
    }
}
