package io.rcproxy.cluster.internal.dispatch;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.rcproxy.cluster.spi.ReadFrom;
import io.rcproxy.cluster.internal.Backoff;
import io.rcproxy.cluster.internal.ClientErrors;
import io.rcproxy.cluster.internal.connection.ConnectionOptions;
import io.rcproxy.cluster.internal.connection.DedicatedConnections;
import io.rcproxy.cluster.internal.connection.LoopFlusher;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.topology.ClusterTopology;
import io.rcproxy.cluster.internal.connection.NodePool;
import io.rcproxy.cluster.internal.connection.PushConnection;
import io.rcproxy.cluster.internal.resp.Redirect;
import io.rcproxy.cluster.resp.RedirectKind;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.spi.ClusterListener;
import io.rcproxy.cluster.spi.MasterRead;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The dispatch core of one event loop: slot → owner → one of this loop's K connections to it, plus the
 * redirect path. Every client connection on the loop, and every library call that lands on it, goes
 * through the same router, so nothing on the way to Redis crosses threads or takes a lock.
 *
 * <p>Thread: confined to {@link #loop()}. Its connections are {@link LoopConnections}; MOVED and ASK go
 * through the {@link RedirectFollower}.
 *
 * <p><b>Per protocol.</b> A command marked {@link ClusterCommand#resp3()} travels on connections that
 * speak RESP3 (they start with {@code HELLO 3}), so the reply Redis sends is already in the protocol its
 * client speaks and passes on as the bytes that arrived. Those connections, multiplexed and dedicated, are
 * opened the first time a RESP3 command needs them: a proxy without RESP3 clients holds none.
 */
public final class LoopRouter implements NodeConnection.Listener {

    private final EventLoop loop;
    private final ClusterTopology topology;
    private final ConnectionOptions options;
    private final long retryWindowNanos;
    private final ClusterListener listener;
    private final LoopFlusher flusher;
    private final LoopConnections connections;
    private final RedirectFollower redirects;
    private final RedirectFollower.Target pooledTarget = this::pooledConnection;
    private int anyMasterCursor;
    private boolean closed;
    /** Null unless reads from replicas are on ({@link #readFrom}): then the replica pools and choice. */
    private ReplicaReads replicaReads;
    private final int connectionsPerNode;
    /** Told of each new slot map on this loop (subscriptions placed by slot); usually empty. */
    private final List<Consumer<SlotMap>> slotMapWatchers = new ArrayList<>(0);

    /**
     * @param retryWindow how long a command keeps retrying TRYAGAIN and CLUSTERDOWN, from the first of
     *                    them; capped at the command timeout
     */
    public LoopRouter(EventLoop loop, ClusterTopology topology, ConnectionOptions options, int connectionsPerNode,
                      Duration retryWindow, ClusterListener listener) {
        this.loop = loop;
        this.topology = topology;
        this.options = options;
        this.retryWindowNanos = Math.min(retryWindow.toNanos(), options.commandTimeout().toNanos());
        this.listener = listener;
        this.flusher = new LoopFlusher(loop);
        this.connectionsPerNode = connectionsPerNode;
        this.connections = new LoopConnections(loop, flusher, connectionsPerNode, options, this,
                () -> new HashSet<>(topology.slotMap().owningNodes()));
        this.redirects = new RedirectFollower(topology);
    }

    /** The loop's end-of-turn flusher, shared by backend and client connections. */
    public LoopFlusher flusher() {
        return flusher;
    }

    public EventLoop loop() {
        return loop;
    }

    public ClusterTopology topology() {
        return topology;
    }

    /** How this loop follows MOVED and ASK; shared with commands on dedicated connections. */
    public RedirectFollower redirects() {
        return redirects;
    }

    /**
     * Starts the periodic check that fails commands stuck longer than the command timeout. With a fixed
     * delay, not a fixed rate: after a stall the check runs once, late (and forgives the stall), and the loop
     * reads what arrived meanwhile before the next one.
     */
    public void startTimeoutChecks() {
        long tick = NodeConnection.timeoutCheckMillis(options.commandTimeout());
        loop.scheduleWithFixedDelay(this::expireStuck, tick, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * Routes a command by its slot (or to any master for {@link ClusterCommand#ANY_SLOT}) and returns the
     * connection it went to, or null when it failed at once. Commands with the same affinity that go to
     * the same node share a connection, so they run in the order they were dispatched.
     */
    public NodeConnection dispatch(ClusterCommand command) {
        if (closed) {
            command.fail(ClientErrors.CLIENT_CLOSED);
            return null;
        }
        SlotMap map = topology.slotMap();
        int slot = command.slot();
        ClusterNode owner = slot >= 0 ? map.owner(slot) : anyMaster(map);
        if (owner == null) {
            if (!map.isLoaded()) {
                command.fail(ClientErrors.NOT_LOADED);
                return null;
            }
            topology.requestRefresh();
            if (command.followsRedirects() && command.withinRetryWindow(System.nanoTime(), retryWindowNanos)) {
                retryLater(command); // a slot without an owner mid-failover is served again within moments
                return null;
            }
            command.fail(ClientErrors.noOwner(slot));
            return null;
        }
        if (replicaReads != null && command.replicaRead() && slot >= 0 && !command.resp3()) {
            NodeConnection replica = replicaReads.connection(map, owner, command.affinity());
            if (replica != null) {
                replica.send(command); // a MOVED from it is followed to the master it names, as any other
                return replica;
            }
            if (replicaReads.mode() == ReadFrom.REPLICA) {
                command.fail(ClientErrors.noReplica(slot));
                return null;
            }
        }
        return toMaster(command, owner);
    }

    private NodeConnection toMaster(ClusterCommand command, ClusterNode owner) {
        NodeConnection connection = pools(command).pool(owner).connection(command.affinity());
        if (!connection.isUsable()) {
            // The owner is down; its replica may have taken over already. Ask now rather than at the next
            // reconnect attempt, which can be seconds away.
            topology.requestRefresh();
        }
        connection.send(command);
        return connection;
    }

    /**
     * With {@link ReadFrom#REPLICA_PREFERRED} or {@link ReadFrom#NEAREST}, a read a replica's connection
     * lost before its reply goes to the master: reads are safe to repeat, and the client asked for the
     * master as the fallback.
     */
    @Override
    public boolean resend(NodeConnection connection, ClusterCommand command) {
        if (closed || replicaReads == null || !replicaReads.fallsBackToMaster()
                || !connection.readsReplica() || !command.replicaRead() || command.slot() < 0) {
            return false;
        }
        ClusterNode owner = topology.slotMap().owner(command.slot());
        if (owner == null) {
            return false;
        }
        listener.onMasterRead(MasterRead.REPLICA_CONNECTION_LOST);
        toMaster(command, owner);
        return true;
    }

    /**
     * Sends commands marked {@link ClusterCommand#replicaRead()} to replicas of their slot's master (on
     * RESP2 connections; RESP3 commands stay on the masters), or stops doing so with {@link ReadFrom#MASTER}.
     * Replicas more than {@code maxLagBytes} behind their master (per the last topology query) are
     * skipped. Called once on the loop at start-up; with MASTER nothing is created and dispatch is unchanged.
     */
    public void readFrom(ReadFrom mode, long maxLagBytes) {
        if (replicaReads != null) {
            replicaReads.close("read-from changed");
            replicaReads = null;
        }
        if (mode != ReadFrom.MASTER && !closed) {
            replicaReads = new ReplicaReads(mode, maxLagBytes, loop, flusher, connectionsPerNode, options, this,
                    listener, node -> connections.pools(false).pool(node).connection(0));
            SlotMap map = topology.slotMap();
            if (map.isLoaded()) {
                replicaReads.onSlotMapChanged(map);
            }
        }
    }

    /** Sends straight to {@code node}, ignoring slots: topology queries, per-node fan-out. */
    public NodeConnection sendTo(ClusterNode node, ClusterCommand command) {
        if (closed) {
            command.fail(ClientErrors.CLIENT_CLOSED);
            return null;
        }
        NodeConnection connection = pools(command).pool(node).connection(command.affinity());
        connection.send(command);
        return connection;
    }

    /** The multiplexed pools in {@code command}'s protocol. */
    private LoopPools pools(ClusterCommand command) {
        return connections.pools(command.resp3());
    }

    /**
     * The master serving {@code slot}, or null, after asking for a fresh map, when none does: the one rule
     * for code that needs a slot's owner outside {@link #dispatch} (dedicated connections).
     */
    public ClusterNode ownerOf(int slot) {
        ClusterNode owner = topology.slotMap().owner(slot);
        if (owner == null) {
            topology.requestRefresh();
        }
        return owner;
    }

    /**
     * A backend connection dedicated to one owner (a client's transaction, blocking command or
     * subscription), outside this loop's multiplexed pools, so whatever state it holds never stalls them:
     * an idle one left by an earlier owner when this loop has one to {@code node}, else a new one. It has
     * no command timeout and does not reconnect; {@code listener} receives its replies (no redirect is
     * followed: the owner decides) and its loss. When done, the owner hands it back with
     * {@link #releaseDedicated} if Redis holds no state for it, and closes it otherwise.
     */
    public NodeConnection openDedicated(ClusterNode node, NodeConnection.Listener listener) {
        return openDedicated(node, listener, false);
    }

    /** As {@link #openDedicated(ClusterNode, NodeConnection.Listener)}, speaking RESP3 when {@code resp3}. */
    public NodeConnection openDedicated(ClusterNode node, NodeConnection.Listener listener, boolean resp3) {
        return connections.dedicated(resp3).acquire(node, listener);
    }

    /**
     * A dedicated connection for a subscription, where every frame is a push (see {@link PushConnection}):
     * an idle connection to {@code node} taken over when this loop has one, else a new one. It does not
     * reconnect; the owner closes it when done.
     */
    public PushConnection openPush(ClusterNode node, PushConnection.Listener listener) {
        return openPush(node, listener, false);
    }

    /**
     * As {@link #openPush(ClusterNode, PushConnection.Listener)}, speaking RESP3 when {@code resp3}: then
     * messages and confirmations arrive as RESP3 pushes, the bytes a RESP3 subscriber expects.
     */
    public PushConnection openPush(ClusterNode node, PushConnection.Listener listener, boolean resp3) {
        return connections.dedicated(resp3).acquirePush(node, listener);
    }

    /**
     * Takes back a dedicated connection whose owner knows Redis holds no MULTI, WATCH, blocked command or
     * subscription for it; it is kept idle for the next {@link #openDedicated} or closed (see
     * {@link DedicatedConnections}).
     */
    public void releaseDedicated(NodeConnection connection) {
        connections.release(connection);
    }

    /** This loop's idle dedicated connections, RESP3 ones first when there are; on {@link #loop()} only. */
    List<DedicatedConnections> dedicated() {
        return connections.allDedicated();
    }

    /** Visits every connection this loop holds, to any node; on {@link #loop()} only (see ConnectionCensus). */
    void forEachConnection(Consumer<NodeConnection> action) {
        connections.forEachConnection(action);
        if (replicaReads != null) {
            replicaReads.forEachConnection(action);
        }
    }

    private ClusterNode anyMaster(SlotMap map) {
        List<ClusterNode> masters = map.masters();
        if (masters.isEmpty()) {
            return null;
        }
        anyMasterCursor = anyMasterCursor + 1 >= masters.size() ? 0 : anyMasterCursor + 1;
        return masters.get(anyMasterCursor);
    }

    /** Where a redirect sends a command that travels on the shared pools; none once closed. */
    private NodeConnection pooledConnection(ClusterNode node, ClusterCommand command) {
        return closed ? null : pools(command).pool(node).connection(command.affinity());
    }

    @Override
    public void onReply(NodeConnection connection, ClusterCommand command, ByteBuf reply) {
        if (command.followsRedirects() && reply.getByte(reply.readerIndex()) == '-') {
            RedirectKind kind = RedirectKind.of(reply);
            if (kind != RedirectKind.NONE && mayFollow(command, kind)) {
                redirect(connection, command, kind, reply);
                return;
            }
        }
        command.complete(reply);
    }

    /**
     * MOVED and ASK spend from the command's budget, which stops a redirect loop. TRYAGAIN and CLUSTERDOWN
     * are retried for as long as the retry window lasts: a failover keeps the cluster down for about the
     * node timeout, far longer than a few quick retries would cover.
     */
    private boolean mayFollow(ClusterCommand command, RedirectKind kind) {
        if (kind == RedirectKind.MOVED || kind == RedirectKind.ASK) {
            return RedirectFollower.canFollow(command, kind);
        }
        return command.withinRetryWindow(System.nanoTime(), retryWindowNanos);
    }

    /** The rare path: follow a MOVED or ASK, or retry after TRYAGAIN or CLUSTERDOWN with backoff. */
    private void redirect(NodeConnection connection, ClusterCommand command, RedirectKind kind, ByteBuf reply) {
        listener.onRedirect(kind);
        if (kind == RedirectKind.MOVED || kind == RedirectKind.ASK) {
            if (!redirects.follow(connection, command, kind, reply, pooledTarget)) {
                command.complete(reply); // unparsable: the caller sees the error as Redis sent it
            }
            return;
        }
        reply.release();
        if (kind == RedirectKind.CLUSTERDOWN) {
            topology.requestRefresh();
        }
        retryLater(command);
    }

    /** Dispatches again after a pause that doubles with each retry ({@link Backoff#RETRY}). */
    private void retryLater(ClusterCommand command) {
        long delay = Backoff.RETRY.delayMillis(command.spendRetry());
        loop.schedule(() -> dispatch(command), delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onPushDropped(NodeConnection connection) {
        listener.onPushDropped(connection.node());
    }

    @Override
    public void onConnectionLost(NodeConnection connection, Throwable cause) {
        listener.onConnectionLost(connection.node(), cause);
        topology.requestRefresh();
    }

    /**
     * Opens pools to new slot owners ahead of traffic and closes pools to nodes that own no slot any more.
     * A failed node that still owns slots keeps its pool: it reconnects by itself if the node comes back.
     */
    public void onSlotMapChanged(SlotMap map) {
        if (closed || !map.isLoaded()) {
            return;
        }
        Set<ClusterNode> current = new HashSet<>(map.owningNodes());
        connections.keepOnly(current);
        if (replicaReads != null) {
            replicaReads.onSlotMapChanged(map);
        }
        for (Consumer<SlotMap> watcher : List.copyOf(slotMapWatchers)) {
            watcher.accept(map);
        }
    }

    /** Tells {@code watcher}, on this loop, of each slot map published from now on, until {@link #unwatchSlotMap}. */
    public void watchSlotMap(Consumer<SlotMap> watcher) {
        slotMapWatchers.add(watcher);
    }

    public void unwatchSlotMap(Consumer<SlotMap> watcher) {
        slotMapWatchers.remove(watcher);
    }

    private void expireStuck() {
        long now = System.nanoTime();
        connections.expireStuck(now);
        if (replicaReads != null) {
            replicaReads.expireStuck(now);
        }
    }

    /** Closes every connection; commands in flight fail. */
    public void close() {
        closed = true;
        connections.close("client closed");
        if (replicaReads != null) {
            replicaReads.close("client closed");
        }
    }
}
