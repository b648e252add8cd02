package io.rcproxy.cluster.internal.dispatch;

import io.netty.channel.EventLoop;
import io.rcproxy.cluster.internal.connection.ConnectionOptions;
import io.rcproxy.cluster.internal.connection.LoopFlusher;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.connection.NodePool;
import io.rcproxy.cluster.topology.ClusterNode;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One loop's multiplexed pools, one per node, in an array indexed by {@link ClusterNode#index()}: a lookup
 * on the hot path is an array read. A pool opens on first use and closes when its node leaves the map.
 *
 * <p>Thread: confined to the loop.
 */
final class LoopPools {

    private final EventLoop loop;
    private final LoopFlusher flusher;
    private final int connectionsPerNode;
    private final ConnectionOptions options;
    private final NodeConnection.Listener listener;
    private NodePool[] pools = new NodePool[16];

    LoopPools(EventLoop loop, LoopFlusher flusher, int connectionsPerNode, ConnectionOptions options,
              NodeConnection.Listener listener) {
        this.loop = loop;
        this.flusher = flusher;
        this.connectionsPerNode = connectionsPerNode;
        this.options = options;
        this.listener = listener;
    }

    /** The pool for {@code node}, opened on first use. */
    NodePool pool(ClusterNode node) {
        int i = node.index();
        if (i >= pools.length) {
            pools = Arrays.copyOf(pools, Math.max(i + 1, pools.length * 2));
        }
        NodePool pool = pools[i];
        if (pool == null) {
            pool = new NodePool(node, loop, flusher, connectionsPerNode, options, listener);
            pools[i] = pool;
        }
        return pool;
    }

    /**
     * Opens pools to {@code current} ahead of traffic and closes those to every other node once they
     * drain: commands already sent there get their replies (a MOVED, after a failover) and follow them.
     */
    void keepOnly(Set<ClusterNode> current) {
        for (ClusterNode node : current) {
            pool(node);
        }
        for (int i = 0; i < pools.length; i++) {
            NodePool pool = pools[i];
            if (pool != null && !current.contains(pool.node())) {
                pools[i] = null;
                pool.closeWhenDrained("node no longer owns a slot");
            }
        }
    }

    void forEachConnection(Consumer<NodeConnection> action) {
        for (NodePool pool : pools) {
            if (pool != null) {
                pool.forEach(action);
            }
        }
    }

    void expireStuck(long nowNanos) {
        for (NodePool pool : pools) {
            if (pool != null) {
                pool.expireStuck(nowNanos);
            }
        }
    }

    void close(String reason) {
        for (int i = 0; i < pools.length; i++) {
            if (pools[i] != null) {
                pools[i].close(reason);
                pools[i] = null;
            }
        }
    }
}
