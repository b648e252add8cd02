package io.rcproxy.cluster.internal.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The dedicated connections (see {@link NodeConnection}) one event loop keeps open while no
 * one uses them, per node, so that a transaction or a blocking command does not cost a TCP connection each:
 * {@link #acquire} takes an idle one to the node when there is one and opens a new one otherwise;
 * {@link #release} takes one back from an owner that is done with it.
 *
 * <p>What Redis holds for a connection (MULTI, WATCHed keys, a blocked command, subscriptions) is known only
 * to its owner, so the owner calls {@link #release} only when that state is provably gone and closes the
 * connection otherwise. This class refuses what it can see is not reusable: anything but an open
 * dedicated connection with no reply outstanding. A subscription ({@link #acquirePush}) takes an idle
 * connection over for good: a {@link PushConnection} is never taken back. It keeps at most
 * {@link DedicatedPoolOptions#maxIdlePerNode()} per node and closes one left idle for
 * {@link DedicatedPoolOptions#idleTimeout()}. The most recently released is handed out first, so under a
 * steady load the same few connections serve, and the ones left over age out from the other end.
 *
 * <p>While idle, a connection's listener is this pool: if Redis or the network closes it, it leaves the
 * pool at once and is never handed out. Nothing is in flight on an idle connection, so it owns no buffer.
 *
 * <p>Thread: confined to its event loop, like the connections; every method must be called on it.
 */
public final class DedicatedConnections implements NodeConnection.Listener {

    /** One idle connection and since when it has been idle. */
    private record Idle(NodeConnection connection, long sinceNanos) {
    }

    private final EventLoop loop;
    private final LoopFlusher flusher;
    private final ConnectionOptions options;
    private final int maxIdlePerNode;
    private final long idleTimeoutNanos;
    /** Idle connections by {@link ClusterNode#index()}; the most recently released first. */
    private ArrayDeque<Idle>[] idle = newArray(16);
    private int idleCount;
    private boolean sweepScheduled;
    private boolean closed;
    private long opened;
    private long reused;

    public DedicatedConnections(EventLoop loop, LoopFlusher flusher, ConnectionOptions options) {
        this.loop = loop;
        this.flusher = flusher;
        this.options = options;
        this.maxIdlePerNode = options.dedicatedPool().maxIdlePerNode();
        this.idleTimeoutNanos = options.dedicatedPool().idleTimeout().toNanos();
    }

    /**
     * A dedicated connection to {@code node} whose replies and loss go to {@code owner}: an idle one when
     * there is one (already connected, holding no state), else a new one. Hand it back with
     * {@link #release} or close it.
     */
    public NodeConnection acquire(ClusterNode node, NodeConnection.Listener owner) {
        NodeConnection connection = takeIdle(node);
        if (connection != null) {
            connection.rebind(owner);
            return connection;
        }
        opened++;
        return NodeConnection.open(node, loop, flusher, options, ReconnectPolicy.never(), owner);
    }

    /**
     * A push connection to {@code node} whose frames and loss go to {@code owner}: an idle dedicated
     * connection taken over when there is one, else a new one. Its owner closes it when done.
     */
    public PushConnection acquirePush(ClusterNode node, PushConnection.Listener owner) {
        NodeConnection connection = takeIdle(node);
        if (connection != null) {
            return PushConnection.adopt(connection, loop, flusher, owner);
        }
        opened++;
        return PushConnection.open(node, loop, flusher, options, owner);
    }

    /** The most recently released reusable idle connection to {@code node}, out of the pool; or null. */
    private NodeConnection takeIdle(ClusterNode node) {
        ArrayDeque<Idle> waiting = node.index() < idle.length ? idle[node.index()] : null;
        if (waiting == null) {
            return null;
        }
        Idle entry;
        while ((entry = waiting.pollFirst()) != null) {
            idleCount--;
            NodeConnection connection = entry.connection();
            if (connection.isReusable()) {
                reused++;
                return connection;
            }
            // A lost connection leaves the pool as it goes (onConnectionLost); this is the safety net.
            connection.close("idle dedicated connection no longer usable");
        }
        return null;
    }

    /**
     * Takes back a dedicated connection whose owner is done with it and knows that Redis holds no state
     * for it. It is kept idle when it is reusable (see the class comment) and the node has fewer than the
     * bound idle; otherwise it is closed. Returns whether it was kept.
     */
    public boolean release(NodeConnection connection) {
        if (closed || maxIdlePerNode == 0 || !connection.isReusable()) {
            connection.close(closed ? "client closed" : "dedicated connection not reusable");
            return false;
        }
        ArrayDeque<Idle> waiting = queue(connection.node());
        if (waiting.size() >= maxIdlePerNode) {
            connection.close("enough idle dedicated connections to " + connection.node());
            return false;
        }
        connection.rebind(this);
        waiting.addFirst(new Idle(connection, System.nanoTime()));
        idleCount++;
        if (!sweepScheduled) {
            scheduleSweep(idleTimeoutNanos);
        }
        return true;
    }

    /** Idle connections to {@code node} now. */
    public int idleCount(ClusterNode node) {
        ArrayDeque<Idle> waiting = node.index() < idle.length ? idle[node.index()] : null;
        return waiting == null ? 0 : waiting.size();
    }

    /** Visits every idle connection, to any node (see ConnectionCensus). */
    public void forEachIdle(Consumer<NodeConnection> action) {
        for (ArrayDeque<Idle> waiting : idle) {
            if (waiting != null) {
                for (Idle entry : waiting) {
                    action.accept(entry.connection());
                }
            }
        }
    }

    /** Dedicated connections opened by {@link #acquire} so far. */
    public long opened() {
        return opened;
    }

    /** Acquisitions served by an idle connection so far. */
    public long reused() {
        return reused;
    }

    /**
     * Closes the idle connections to nodes not in {@code masters}: nodes that left the cluster or became
     * replicas are no longer asked for, and their connections would otherwise wait for the idle timeout.
     */
    public void closeIdleExcept(Set<ClusterNode> masters) {
        for (int i = 0; i < idle.length; i++) {
            ArrayDeque<Idle> waiting = idle[i];
            if (waiting != null && !waiting.isEmpty() && !masters.contains(waiting.peekFirst().connection().node())) {
                idle[i] = null;
                idleCount -= waiting.size();
                waiting.forEach(entry -> entry.connection().close("node is no longer a master in the cluster"));
            }
        }
    }

    /** Closes every idle connection; from now on a released connection is closed. */
    public void close() {
        closed = true;
        for (int i = 0; i < idle.length; i++) {
            ArrayDeque<Idle> waiting = idle[i];
            if (waiting != null) {
                idle[i] = null;
                waiting.forEach(entry -> entry.connection().close("client closed"));
            }
        }
        idleCount = 0;
    }

    /** Nothing is in flight on an idle connection, so no reply can come; should one, it is not lost. */
    @Override
    public void onReply(NodeConnection connection, ClusterCommand command, ByteBuf reply) {
        command.complete(reply);
    }

    /** Redis (its {@code timeout}, CLIENT KILL) or the network closed an idle connection: forget it. */
    @Override
    public void onConnectionLost(NodeConnection connection, Throwable cause) {
        ArrayDeque<Idle> waiting = connection.node().index() < idle.length ? idle[connection.node().index()] : null;
        if (waiting != null && waiting.removeIf(entry -> entry.connection() == connection)) {
            idleCount--;
        }
    }

    private void scheduleSweep(long delayNanos) {
        sweepScheduled = true;
        loop.schedule(this::sweep, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Closes connections idle for the timeout or longer (oldest at each queue's tail) and re-arms. */
    private void sweep() {
        sweepScheduled = false;
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (ArrayDeque<Idle> waiting : idle) {
            if (waiting == null) {
                continue;
            }
            Idle oldest;
            while ((oldest = waiting.peekLast()) != null && now - oldest.sinceNanos() >= idleTimeoutNanos) {
                waiting.pollLast();
                idleCount--;
                oldest.connection().close("idle for " + TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos) + " ms");
            }
            if (oldest != null) {
                next = Math.min(next, oldest.sinceNanos() + idleTimeoutNanos - now);
            }
        }
        if (idleCount > 0) {
            scheduleSweep(Math.max(next, TimeUnit.MILLISECONDS.toNanos(1)));
        }
    }

    private ArrayDeque<Idle> queue(ClusterNode node) {
        int i = node.index();
        if (i >= idle.length) {
            idle = Arrays.copyOf(idle, Math.max(i + 1, idle.length * 2));
        }
        ArrayDeque<Idle> waiting = idle[i];
        if (waiting == null) {
            waiting = new ArrayDeque<>(Math.min(maxIdlePerNode, 16));
            idle[i] = waiting;
        }
        return waiting;
    }

    @SuppressWarnings("unchecked")
    private static ArrayDeque<Idle>[] newArray(int length) {
        return (ArrayDeque<Idle>[]) new ArrayDeque<?>[length];
    }
}
