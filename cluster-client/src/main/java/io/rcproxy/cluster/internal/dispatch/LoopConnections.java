package io.rcproxy.cluster.internal.dispatch;

import io.netty.channel.EventLoop;
import io.rcproxy.cluster.internal.connection.ConnectionOptions;
import io.rcproxy.cluster.internal.connection.DedicatedConnections;
import io.rcproxy.cluster.internal.connection.LoopFlusher;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.topology.ClusterNode;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every backend connection one loop keeps, per protocol: multiplexed pools ({@link LoopPools}) and idle
 * dedicated connections ({@link DedicatedConnections}) speaking RESP2, and their RESP3 twins, whose
 * connections start with {@code HELLO 3}. The RESP3 pair is created on the first RESP3 command, so a proxy
 * without RESP3 clients holds no connection more than before; once created it follows the slot map, times
 * out and closes like the RESP2 pair.
 *
 * <p>Thread: confined to the loop.
 */
final class LoopConnections {

    private final EventLoop loop;
    private final LoopFlusher flusher;
    private final int connectionsPerNode;
    private final NodeConnection.Listener listener;
    private final ConnectionOptions resp3Options;
    /** The owning nodes now, for RESP3 pools opened after the slot map was loaded. */
    private final Supplier<Set<ClusterNode>> owners;
    private final LoopPools pools;
    private final DedicatedConnections dedicated;
    /** Null until a RESP3 command needs them. */
    private LoopPools resp3Pools;
    private DedicatedConnections resp3Dedicated;
    private boolean closed;

    LoopConnections(EventLoop loop, LoopFlusher flusher, int connectionsPerNode, ConnectionOptions options,
                    NodeConnection.Listener listener, Supplier<Set<ClusterNode>> owners) {
        this.loop = loop;
        this.flusher = flusher;
        this.connectionsPerNode = connectionsPerNode;
        this.listener = listener;
        this.resp3Options = options.forResp3();
        this.owners = owners;
        this.pools = new LoopPools(loop, flusher, connectionsPerNode, options, listener);
        this.dedicated = new DedicatedConnections(loop, flusher, options);
    }

    /** The multiplexed pools speaking RESP3 when {@code resp3}, else RESP2. */
    LoopPools pools(boolean resp3) {
        if (!resp3) {
            return pools;
        }
        if (resp3Pools == null) {
            resp3Pools = new LoopPools(loop, flusher, connectionsPerNode, resp3Options, listener);
            if (!closed) {
                resp3Pools.keepOnly(owners.get());
            } else {
                resp3Pools.close("client closed");
            }
        }
        return resp3Pools;
    }

    /** The idle dedicated connections speaking RESP3 when {@code resp3}, else RESP2. */
    DedicatedConnections dedicated(boolean resp3) {
        if (!resp3) {
            return dedicated;
        }
        if (resp3Dedicated == null) {
            resp3Dedicated = new DedicatedConnections(loop, flusher, resp3Options);
            if (closed) {
                resp3Dedicated.close();
            }
        }
        return resp3Dedicated;
    }

    /** Takes back a dedicated connection into the idle pool of its protocol (or closes it). */
    void release(NodeConnection connection) {
        dedicated(connection.speaksResp3()).release(connection);
    }

    /** The idle pools that exist, RESP3 first (see ConnectionCensus). */
    List<DedicatedConnections> allDedicated() {
        return resp3Dedicated == null ? List.of(dedicated) : List.of(resp3Dedicated, dedicated);
    }

    void forEachConnection(Consumer<NodeConnection> action) {
        pools.forEachConnection(action);
        if (resp3Pools != null) {
            resp3Pools.forEachConnection(action);
        }
    }

    /** Opens pools to {@code current} and closes what goes to other nodes, in both protocols. */
    void keepOnly(Set<ClusterNode> current) {
        pools.keepOnly(current);
        dedicated.closeIdleExcept(current);
        if (resp3Pools != null) {
            resp3Pools.keepOnly(current);
        }
        if (resp3Dedicated != null) {
            resp3Dedicated.closeIdleExcept(current);
        }
    }

    void expireStuck(long nowNanos) {
        pools.expireStuck(nowNanos);
        if (resp3Pools != null) {
            resp3Pools.expireStuck(nowNanos);
        }
    }

    void close(String reason) {
        closed = true;
        dedicated.close();
        pools.close(reason);
        if (resp3Dedicated != null) {
            resp3Dedicated.close();
        }
        if (resp3Pools != null) {
            resp3Pools.close(reason);
        }
    }
}
