package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.pinned.TransactionState.Pin;
import io.rcproxy.proxy.pinned.TransactionState.Unpinned;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.ClientPort;
import java.util.ArrayList;
import java.util.List;

/**
 * The dedicated connections of one client's transactions: opens the one a transaction pins, and keeps
 * those of ended transactions until their last replies are in, holding the client's next requests
 * meanwhile (see {@link PinnedState#hold()}); each then goes back to the idle pool or closes (see
 * {@link TransactionEnding}).
 *
 * <p>Thread: the client's event loop. Ownership: frames sent pass to the connection.
 */
final class TransactionConnections {

    private final ClientPort client;
    private final PinnedState owner;
    private final NodeConnection.Listener listener;
    private final List<TransactionEnding> releasing = new ArrayList<>(0);

    TransactionConnections(ClientPort client, PinnedState owner, NodeConnection.Listener listener) {
        this.client = client;
        this.owner = owner;
        this.listener = listener;
    }

    /**
     * Opens the dedicated connection to the owner of {@code keySlot} (any master for -1); inside MULTI
     * ({@code multi} not null) sends MULTI and the commands held so far first, their replies swallowed
     * since the proxy answered them. Null when no master serves the slot.
     */
    NodeConnection open(int keySlot, Unpinned multi) {
        ClusterNode node = keySlot >= 0 ? client.router().ownerOf(keySlot) : spreadOverMasters();
        if (node == null) {
            return null;
        }
        NodeConnection connection = client.router().openDedicated(node, listener, client.protocol().resp3());
        if (multi != null) {
            connection.send(SwallowedReply.multi());
            for (RedisRequest earlier : multi.held()) {
                connection.send(SwallowedReply.of(earlier.frame())); // the frame's one reference passes on
            }
            multi.held().clear();
        }
        return connection;
    }

    /** A keyless transaction's master, spread by client id; null, after asking for a fresh map, when none. */
    private ClusterNode spreadOverMasters() {
        List<ClusterNode> masters = client.router().topology().slotMap().masters();
        if (masters.isEmpty()) {
            client.router().topology().requestRefresh();
            return null;
        }
        return masters.get((int) (client.clientId() % masters.size()));
    }

    /** A transaction on {@code pin} ended with {@code last} (null: nothing sent to prove its state). */
    void ended(Pin pin, ClusterCommand last) {
        TransactionEnding ending = new TransactionEnding(pin.connection(), last, pin.tainted());
        if (pin.connection().inFlightCount() == 0) {
            ending.finish(client.router()); // nothing is coming that could prove the state (a send that failed at once)
        } else {
            releasing.add(ending);
            owner.hold();
        }
    }

    boolean noneEnding() {
        return releasing.isEmpty();
    }

    /** A reply on a connection that is not the pinned one; ownership of {@code reply} passes on. */
    void onEndingReply(NodeConnection from, ClusterCommand command, ByteBuf reply, boolean redirect) {
        TransactionEnding ending = ending(from);
        if (ending != null) {
            ending.observe(command, reply, redirect); // before complete(), which passes the reply on
        }
        command.complete(reply);
        if (ending != null && from.inFlightCount() == 0) {
            releasing.remove(ending);
            ending.finish(client.router());
            if (releasing.isEmpty()) {
                owner.released();
            }
        }
    }

    /** {@code lost}'s commands have failed; what the client does next must not wait for it. */
    void lost(NodeConnection lost) {
        TransactionEnding ending = ending(lost);
        if (ending != null && releasing.remove(ending) && releasing.isEmpty()) {
            owner.released();
        }
    }

    /** The client is gone: Redis discards what these connections hold when they close. */
    void closeAll() {
        for (TransactionEnding ending : releasing) {
            ending.connection().close("client disconnected");
        }
        releasing.clear();
    }

    private TransactionEnding ending(NodeConnection from) {
        for (TransactionEnding ending : releasing) {
            if (ending.connection() == from) {
                return ending;
            }
        }
        return null;
    }
}
