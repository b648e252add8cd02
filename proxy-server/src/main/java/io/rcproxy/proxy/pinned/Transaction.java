package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.ClusterCommand;
import io.rcproxy.cluster.connection.NodeConnection;
import io.rcproxy.cluster.resp.RedirectKind;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.KeySlots;
import io.rcproxy.proxy.command.Routing;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.RedisErrors;
import io.rcproxy.proxy.reply.Replies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's MULTI/EXEC transaction and WATCHes, on a backend connection dedicated to the client.
 *
 * <p><b>Pinning.</b> The connection goes to the master owning the slot of the first key the transaction
 * names (a WATCHed key, or the first keyed command inside MULTI), and every later key must hash to that
 * same slot, as Redis Cluster itself requires inside MULTI; otherwise {@code -CROSSSLOT} and the
 * transaction is marked failed, so EXEC answers {@code -EXECABORT} (and a DISCARD goes to Redis). Until a
 * key decides the node, MULTI is answered {@code +OK} and keyless commands {@code +QUEUED} by the proxy,
 * which keeps them; once pinned it sends MULTI and those commands first, swallowing their replies. A
 * transaction with no key at all runs on any master at EXEC.
 *
 * <p><b>Replies.</b> Everything sent on the pinned connection is answered by Redis as it would be on a
 * single node ({@code +QUEUED}, errors, EXEC's array) and goes back in request order. MOVED and ASK are not
 * followed inside a transaction: the client sees them (and Redis then aborts the EXEC).
 *
 * <p><b>Release.</b> EXEC, DISCARD, and UNWATCH outside MULTI end the pin; the client's next requests wait
 * until the connection's last reply is in (see {@link PinnedState#hold()}). The connection then goes back to
 * the router's idle pool for the next transaction or blocking command, but only when that reply proves
 * Redis holds neither MULTI nor WATCH for it: EXEC answered with an array, a nil or {@code -EXECABORT};
 * DISCARD or UNWATCH with {@code +OK}. Any other answer, a redirect seen on the connection, or a RESET with
 * nothing to prove it (see {@link #reset()}) closes it instead, since its state is then unknown. A client
 * that leaves closes it at once (Redis discards the transaction). A lost connection fails the commands it
 * carried; the transaction is then marked failed.
 *
 * <p>Simplifications: LOCAL commands other than PING and ECHO (CLIENT, SELECT, HELLO...) are answered by the
 * proxy at once rather than queued; commands outside MULTI go through the shared connections even while
 * keys are WATCHed, so a client's own write to a watched key does not abort its transaction unless it
 * reaches Redis after the WATCH. Thread: the client's event loop.
 */
final class Transaction implements NodeConnection.Listener {

    private static final byte[] EXECABORT_PREFIX = "-EXECABORT ".getBytes(StandardCharsets.US_ASCII);

    private final ClientPort client;
    private final PinnedState owner;
    /** The pinned connection, or null before a key decided the node. */
    private NodeConnection connection;
    /** A redirect came back on {@link #connection}: what Redis holds for it is not what we think. */
    private boolean connectionTainted;
    /** Connections of ended transactions still waiting for replies; each is released or closed when drained. */
    private final List<Ending> releasing = new ArrayList<>(0);
    private int slot = -1;
    private boolean inMulti;
    private boolean multiSent;
    private boolean failed;
    private boolean watching;
    private int queued;
    /** Keyless commands queued before the transaction was pinned; owned here until sent or dropped. */
    private final List<RedisRequest> unpinned = new ArrayList<>(0);

    Transaction(ClientPort client, PinnedState owner) {
        this.client = client;
        this.owner = owner;
    }

    boolean inMulti() {
        return inMulti;
    }

    boolean isIdle() {
        return !inMulti && !watching && connection == null && releasing.isEmpty();
    }

    /** MULTI, EXEC, DISCARD, WATCH, UNWATCH, WAIT when no MULTI is open. */
    void routeOutsideMulti(CommandSpec spec, RedisRequest request) {
        if (!spec.acceptsArgCount(request.argCount())) {
            error(request, RedisErrors.wrongArity(spec));
            return;
        }
        switch (spec.name()) {
            case "multi" -> {
                inMulti = true;
                queued = 0;
                client.transactionQueued(0);
                if (connection != null) {
                    multiSent = true;
                    client.forwardOn(connection, request, ClusterCommand.ANY_SLOT);
                } else {
                    client.answer(request, Replies.ok());
                }
            }
            case "exec" -> error(request, RedisErrors.EXEC_WITHOUT_MULTI);
            case "discard" -> error(request, RedisErrors.DISCARD_WITHOUT_MULTI);
            case "watch" -> watch(spec, request);
            case "unwatch" -> {
                if (connection != null) {
                    end(client.forwardOn(connection, request, ClusterCommand.ANY_SLOT));
                } else {
                    client.answer(request, Replies.ok());
                }
                failed = false;
            }
            case "wait" -> {
                if (connection != null) {
                    client.forwardOn(connection, request, ClusterCommand.ANY_SLOT);
                } else {
                    // The client's writes went over shared connections, where WAIT would count other
                    // clients' writes and stall them: report that no replica is known to have them.
                    client.answer(request, Replies.integer(client.alloc(), 0));
                }
            }
            default -> error(request, RedisErrors.unsupported(spec));
        }
    }

    private void watch(CommandSpec spec, RedisRequest request) {
        int keySlot = KeySlots.slotOf(spec, request);
        if (keySlot == KeySlots.CROSS_SLOT || (keySlot >= 0 && slot >= 0 && keySlot != slot)) {
            error(request, RedisErrors.CROSSSLOT);
            return;
        }
        if (keySlot < 0) {
            error(request, RedisErrors.wrongArity(spec));
            return;
        }
        if (connection == null && !pin(keySlot)) {
            client.answerError(request, RedisErrors.SLOT_NOT_SERVED);
            return;
        }
        slot = keySlot;
        watching = true;
        client.forwardOn(connection, request, keySlot);
    }

    /** Inside MULTI every request comes here first; false lets the handler route it as usual. */
    boolean routeInMulti(CommandSpec spec, RedisRequest request) {
        if (spec == null) {
            failed = true;
            error(request, RedisErrors.unknownCommand(request));
            return true;
        }
        if (spec.container() && request.argCount() > 1) {
            failed = true;
            error(request, RedisErrors.unknownSubcommand(request));
            return true;
        }
        switch (spec.name()) {
            case "exec" -> exec(request);
            case "discard" -> discard(request);
            case "multi" -> {
                if (connection != null) {
                    client.forwardOn(connection, request, ClusterCommand.ANY_SLOT);
                } else {
                    error(request, RedisErrors.NESTED_MULTI);
                }
            }
            case "watch" -> {
                if (connection != null) {
                    client.forwardOn(connection, request, ClusterCommand.ANY_SLOT);
                } else {
                    error(request, RedisErrors.WATCH_IN_MULTI);
                }
            }
            case "quit", "reset" -> {
                return false;
            }
            case "ping", "echo" -> queue(spec, request, KeySlots.NO_KEYS);
            default -> {
                Routing routing = spec.routing();
                if (routing == Routing.LOCAL) {
                    return false;
                }
                if (routing == Routing.UNSUPPORTED || routing == Routing.PUBSUB) {
                    failed = true;
                    error(request, routing == Routing.PUBSUB
                            ? RedisErrors.notInTransaction(spec)
                            : RedisErrors.unsupported(spec));
                    return true;
                }
                int keySlot = KeySlots.slotOf(spec, request);
                if (keySlot == KeySlots.WRONG_ARITY) {
                    failed = true;
                    error(request, RedisErrors.wrongArity(spec));
                } else if (keySlot == KeySlots.CROSS_SLOT) {
                    failed = true;
                    error(request, RedisErrors.CROSSSLOT);
                } else {
                    queue(spec, request, keySlot);
                }
            }
        }
        return true;
    }

    private void queue(CommandSpec spec, RedisRequest request, int keySlot) {
        if (keySlot >= 0 && slot >= 0 && keySlot != slot) {
            failed = true;
            error(request, RedisErrors.CROSSSLOT);
            return;
        }
        client.transactionQueued(++queued);
        if (connection == null && keySlot < 0) {
            unpinned.add(request); // owned here until the transaction is pinned or dropped
            client.push(Replies.simple(client.alloc(), "QUEUED"));
            return;
        }
        if (connection == null && !pin(keySlot)) {
            failed = true;
            client.answerError(request, RedisErrors.SLOT_NOT_SERVED);
            return;
        }
        if (keySlot >= 0) {
            slot = keySlot;
        }
        client.forwardOn(connection, request, keySlot);
    }

    private void exec(RedisRequest request) {
        if (failed) {
            ClusterCommand discard = null;
            if (connection != null) {
                discard = SwallowedReply.discard();
                connection.send(discard);
            }
            error(request, RedisErrors.EXECABORT);
            end(discard);
            return;
        }
        if (connection == null) {
            if (unpinned.isEmpty()) {
                ByteBuf empty = client.alloc().buffer(4);
                Replies.arrayHeader(empty, 0);
                client.answer(request, empty);
                end(null);
                return;
            }
            if (!pin(-1)) {
                error(request, RedisErrors.CLUSTER_DOWN);
                end(null);
                return;
            }
        }
        end(client.forwardOn(connection, request, ClusterCommand.ANY_SLOT));
    }

    private void discard(RedisRequest request) {
        if (connection != null) {
            end(client.forwardOn(connection, request, ClusterCommand.ANY_SLOT));
        } else {
            client.answer(request, Replies.ok());
            end(null);
        }
    }

    /**
     * Opens the dedicated connection to the owner of {@code keySlot} (any master for -1) and sends what
     * the proxy answered for so far. False when no master serves the slot.
     */
    private boolean pin(int keySlot) {
        SlotMap map = client.router().topology().slotMap();
        ClusterNode owner;
        if (keySlot >= 0) {
            owner = map.owner(keySlot);
        } else {
            List<ClusterNode> masters = map.masters();
            owner = masters.isEmpty() ? null : masters.get((int) (client.clientId() % masters.size()));
        }
        if (owner == null) {
            client.router().topology().requestRefresh();
            return false;
        }
        connection = client.router().openDedicated(owner, this);
        if (inMulti && !multiSent) {
            multiSent = true;
            connection.send(SwallowedReply.multi());
        }
        for (RedisRequest earlier : unpinned) {
            connection.send(SwallowedReply.of(earlier.frame())); // the frame's one reference passes on
        }
        unpinned.clear();
        return true;
    }

    /**
     * The transaction and its WATCHes are over. The connection is released or closed once its replies are
     * in, by what {@code last} (the EXEC, DISCARD or UNWATCH just sent on it; null for none) answers.
     */
    private void end(ClusterCommand last) {
        inMulti = false;
        multiSent = false;
        failed = false;
        watching = false;
        slot = -1;
        queued = 0;
        client.transactionQueued(-1);
        dropUnpinned();
        if (connection != null) {
            Ending ending = new Ending(connection, last, connectionTainted);
            connection = null;
            connectionTainted = false;
            if (ending.connection.inFlightCount() == 0) {
                finish(ending); // nothing is coming that could prove the state (a send that failed at once)
            } else {
                releasing.add(ending);
                owner.hold();
            }
        }
    }

    /** RESET: as DISCARD (inside MULTI) or UNWATCH (outside), without a reply of its own. */
    void reset() {
        ClusterCommand last = null;
        if (connection != null) {
            last = inMulti ? SwallowedReply.discard() : SwallowedReply.unwatch();
            connection.send(last);
        }
        end(last);
    }

    /** The client is gone. */
    void abort() {
        dropUnpinned();
        if (connection != null) {
            connection.close("client disconnected");
            connection = null;
        }
        for (Ending ending : releasing) {
            ending.connection.close("client disconnected");
        }
        releasing.clear();
    }

    private void dropUnpinned() {
        for (RedisRequest r : unpinned) {
            r.release();
        }
        unpinned.clear();
    }

    private void error(RedisRequest request, String message) {
        client.answerError(request, message);
    }

    @Override
    public void onReply(NodeConnection from, ClusterCommand command, ByteBuf reply) {
        // Looked at before complete(), which passes the reply on.
        boolean redirect = RedirectKind.of(reply) != RedirectKind.NONE;
        if (from == connection) {
            connectionTainted |= redirect;
            command.complete(reply);
            return;
        }
        Ending ending = ending(from);
        if (ending != null) {
            ending.tainted |= redirect;
            if (command == ending.last) {
                ending.proven = provesNoState(reply);
            }
        }
        command.complete(reply);
        if (ending != null && from.inFlightCount() == 0) {
            releasing.remove(ending);
            finish(ending);
            if (releasing.isEmpty()) {
                owner.released();
            }
        }
    }

    /**
     * Whether the reply to the EXEC, DISCARD or UNWATCH that ended a transaction shows that Redis holds no
     * MULTI and no WATCH for the connection: EXEC's array or nil, {@code +OK}, or {@code -EXECABORT} (which
     * discards). Any other error ({@code -ERR DISCARD without MULTI}, for one) may leave a WATCH behind.
     */
    private static boolean provesNoState(ByteBuf reply) {
        byte type = reply.getByte(reply.readerIndex());
        if (type == '*' || type == '_' || type == '+') {
            return true;
        }
        return type == '-' && startsWith(reply, EXECABORT_PREFIX);
    }

    private static boolean startsWith(ByteBuf reply, byte[] prefix) {
        if (reply.readableBytes() < prefix.length) {
            return false;
        }
        int start = reply.readerIndex();
        for (int i = 0; i < prefix.length; i++) {
            if (reply.getByte(start + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Back to the idle pool when the state is proven clean, closed otherwise. */
    private void finish(Ending ending) {
        if (ending.proven && !ending.tainted) {
            client.router().releaseDedicated(ending.connection);
        } else {
            ending.connection.close("transaction over, connection state unknown");
        }
    }

    private Ending ending(NodeConnection from) {
        for (Ending ending : releasing) {
            if (ending.connection == from) {
                return ending;
            }
        }
        return null;
    }

    @Override
    public void onConnectionLost(NodeConnection lost, Throwable cause) {
        // Its commands have failed with an error each; what the client does next must not run unpinned.
        Ending ending = ending(lost);
        if (ending != null && releasing.remove(ending) && releasing.isEmpty()) {
            owner.released();
        }
        if (lost == connection) {
            connection = null;
            if (inMulti || watching) {
                failed = true;
            }
            watching = false;
        }
    }

    /**
     * The connection of an ended transaction, waiting for its last replies. {@code proven} once {@code last}
     * answered in a way that shows Redis holds no MULTI or WATCH for it; {@code tainted} by a redirect.
     */
    private static final class Ending {
        final NodeConnection connection;
        final ClusterCommand last;
        boolean proven;
        boolean tainted;

        Ending(NodeConnection connection, ClusterCommand last, boolean tainted) {
            this.connection = connection;
            this.last = last;
            this.tainted = tainted;
        }
    }
}
