package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.ClusterCommand;
import io.rcproxy.cluster.connection.NodeConnection;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.KeySlots;
import io.rcproxy.proxy.command.Routing;
import io.rcproxy.proxy.protocol.RedisRequest;
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
 * <p><b>Release.</b> EXEC, DISCARD, and UNWATCH outside MULTI end the pin; the connection closes once its
 * last reply is in, and the client's next requests wait for that (see {@link PinnedState#hold()}). A client that leaves closes it at once (Redis discards the transaction). A lost
 * connection fails the commands it carried; the transaction is then marked failed.
 *
 * <p>Simplifications: LOCAL commands other than PING and ECHO (CLIENT, SELECT, HELLO...) are answered by the
 * proxy at once rather than queued; commands outside MULTI go through the shared connections even while
 * keys are WATCHed, so a client's own write to a watched key does not abort its transaction unless it
 * reaches Redis after the WATCH. Thread: the client's event loop.
 */
final class Transaction implements NodeConnection.Listener {

    static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

    private final ClientHandler client;
    private final PinnedState owner;
    /** The pinned connection, or null before a key decided the node. */
    private NodeConnection connection;
    /** Connections of earlier transactions still waiting for replies; each closes when drained. */
    private final List<NodeConnection> releasing = new ArrayList<>(0);
    private int slot = -1;
    private boolean inMulti;
    private boolean multiSent;
    private boolean failed;
    private boolean watching;
    private int queued;
    /** Keyless commands queued before the transaction was pinned; owned here until sent or dropped. */
    private final List<RedisRequest> unpinned = new ArrayList<>(0);

    Transaction(ClientHandler client, PinnedState owner) {
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
            error(request, LocalCommands.wrongArity(spec));
            return;
        }
        switch (spec.name()) {
            case "multi" -> {
                inMulti = true;
                queued = 0;
                client.session().multi(0);
                if (connection != null) {
                    multiSent = true;
                    client.forwardOn(connection, request, ClusterCommand.ANY_SLOT);
                } else {
                    client.answer(request, Replies.ok());
                }
            }
            case "exec" -> error(request, "ERR EXEC without MULTI");
            case "discard" -> error(request, "ERR DISCARD without MULTI");
            case "watch" -> watch(spec, request);
            case "unwatch" -> {
                if (connection != null) {
                    client.forwardOn(connection, request, ClusterCommand.ANY_SLOT);
                    end();
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
            default -> error(request, LocalCommands.unsupported(spec));
        }
    }

    private void watch(CommandSpec spec, RedisRequest request) {
        int keySlot = KeySlots.slotOf(spec, request);
        if (keySlot == KeySlots.CROSS_SLOT || (keySlot >= 0 && slot >= 0 && keySlot != slot)) {
            error(request, ClientHandler.CROSSSLOT);
            return;
        }
        if (keySlot < 0) {
            error(request, LocalCommands.wrongArity(spec));
            return;
        }
        if (connection == null && !pin(keySlot)) {
            client.answer(request, Replies.error(client.alloc(), "CLUSTERDOWN Hash slot not served"));
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
            error(request, LocalCommands.unknownCommand(request));
            return true;
        }
        if (spec.container() && request.argCount() > 1) {
            failed = true;
            error(request, LocalCommands.unknownSubcommand(request));
            return true;
        }
        switch (spec.name()) {
            case "exec" -> exec(request);
            case "discard" -> discard(request);
            case "multi" -> {
                if (connection != null) {
                    client.forwardOn(connection, request, ClusterCommand.ANY_SLOT);
                } else {
                    error(request, "ERR MULTI calls can not be nested");
                }
            }
            case "watch" -> {
                if (connection != null) {
                    client.forwardOn(connection, request, ClusterCommand.ANY_SLOT);
                } else {
                    error(request, "ERR WATCH inside MULTI is not allowed");
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
                            ? "ERR Command '" + spec.name() + "' is not allowed in a transaction by the proxy"
                            : LocalCommands.unsupported(spec));
                    return true;
                }
                int keySlot = KeySlots.slotOf(spec, request);
                if (keySlot == KeySlots.WRONG_ARITY) {
                    failed = true;
                    error(request, LocalCommands.wrongArity(spec));
                } else if (keySlot == KeySlots.CROSS_SLOT) {
                    failed = true;
                    error(request, ClientHandler.CROSSSLOT);
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
            error(request, ClientHandler.CROSSSLOT);
            return;
        }
        client.session().multi(++queued);
        if (connection == null && keySlot < 0) {
            unpinned.add(request); // owned here until the transaction is pinned or dropped
            client.push(Replies.simple(client.alloc(), "QUEUED"));
            return;
        }
        if (connection == null && !pin(keySlot)) {
            failed = true;
            client.answer(request, Replies.error(client.alloc(), "CLUSTERDOWN Hash slot not served"));
            return;
        }
        if (keySlot >= 0) {
            slot = keySlot;
        }
        client.forwardOn(connection, request, keySlot);
    }

    private void exec(RedisRequest request) {
        if (failed) {
            if (connection != null) {
                connection.send(SwallowedReply.discard());
            }
            error(request, EXECABORT);
            end();
            return;
        }
        if (connection == null) {
            if (unpinned.isEmpty()) {
                ByteBuf empty = client.alloc().buffer(4);
                Replies.arrayHeader(empty, 0);
                client.answer(request, empty);
                end();
                return;
            }
            if (!pin(-1)) {
                error(request, "CLUSTERDOWN The cluster is down");
                end();
                return;
            }
        }
        client.forwardOn(connection, request, ClusterCommand.ANY_SLOT);
        end();
    }

    private void discard(RedisRequest request) {
        if (connection != null) {
            client.forwardOn(connection, request, ClusterCommand.ANY_SLOT);
        } else {
            client.answer(request, Replies.ok());
        }
        end();
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
            owner = masters.isEmpty() ? null : masters.get((int) (client.session().id() % masters.size()));
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

    /** The transaction and its WATCHes are over: the connection closes once its replies are in. */
    private void end() {
        inMulti = false;
        multiSent = false;
        failed = false;
        watching = false;
        slot = -1;
        queued = 0;
        client.session().multi(-1);
        dropUnpinned();
        if (connection != null) {
            NodeConnection done = connection;
            connection = null;
            if (done.inFlightCount() == 0) {
                done.close("transaction over");
            } else {
                releasing.add(done);
                owner.hold();
            }
        }
    }

    /** RESET: as DISCARD plus UNWATCH, without a reply of its own. */
    void reset() {
        if (connection != null && inMulti) {
            connection.send(SwallowedReply.discard());
        }
        end();
    }

    /** The client is gone. */
    void abort() {
        dropUnpinned();
        if (connection != null) {
            connection.close("client disconnected");
            connection = null;
        }
        for (NodeConnection c : releasing) {
            c.close("client disconnected");
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
        client.answer(request, Replies.error(client.alloc(), message));
    }

    @Override
    public void onReply(NodeConnection from, ClusterCommand command, ByteBuf reply) {
        command.complete(reply);
        if (from != connection && from.inFlightCount() == 0 && releasing.remove(from)) {
            from.close("transaction over");
            if (releasing.isEmpty()) {
                owner.released();
            }
        }
    }

    @Override
    public void onConnectionLost(NodeConnection lost, Throwable cause) {
        // Its commands have failed with an error each; what the client does next must not run unpinned.
        if (releasing.remove(lost) && releasing.isEmpty()) {
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
}
