package io.rcproxy.cluster.internal.dispatch;

import io.netty.channel.EventLoop;
import io.rcproxy.cluster.ReadFrom;
import io.rcproxy.cluster.internal.connection.ConnectionOptions;
import io.rcproxy.cluster.internal.connection.LoopFlusher;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.Shard;
import io.rcproxy.cluster.topology.SlotMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One loop's reads from replicas: which replicas of each master may serve reads (the slot map's readable
 * replicas), and the loop's multiplexed pools to them, whose connections send {@code READONLY} first. It
 * exists only when reads from replicas are on, so a proxy reading from masters holds none of it.
 *
 * <p>Thread: confined to the loop.
 */
final class ReplicaReads {

    private static final ClusterNode[] NONE = new ClusterNode[0];

    private final ReadFrom mode;
    private final LoopPools pools;
    private final Predicate<ClusterNode> usable;
    /** Readable replicas by master {@link ClusterNode#index()}; shorter than the highest index when absent. */
    private ClusterNode[][] readableByMaster = new ClusterNode[0][];

    ReplicaReads(ReadFrom mode, EventLoop loop, LoopFlusher flusher, int connectionsPerNode,
                 ConnectionOptions options, NodeConnection.Listener listener) {
        this.mode = mode;
        this.pools = new LoopPools(loop, flusher, connectionsPerNode, options.forReplicas(), listener);
        this.usable = node -> pools.pool(node).connection(0).isUsable();
    }

    ReadFrom mode() {
        return mode;
    }

    /**
     * The connection a read of {@code master}'s slot with {@code affinity} goes to, or null when no
     * readable replica can take it now (the caller decides: the master, or an error).
     */
    NodeConnection connection(ClusterNode master, int affinity) {
        int i = master.index();
        ClusterNode[] replicas = i < readableByMaster.length ? readableByMaster[i] : NONE;
        ClusterNode replica = choose(replicas, affinity, usable);
        return replica == null ? null : pools.pool(replica).connection(affinity);
    }

    /**
     * The selection rule: the replica at {@code affinity} modulo their count, so one client's reads stay on
     * one replica (they see its history in order), and the next ones in turn when that one is not usable
     * (disconnected, reconnecting); null when none is.
     */
    static ClusterNode choose(ClusterNode[] replicas, int affinity, Predicate<ClusterNode> usable) {
        int n = replicas.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(affinity, n);
        for (int k = 0; k < n; k++) {
            ClusterNode candidate = replicas[(start + k) % n];
            if (usable.test(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Takes the readable replicas of the new map, opens pools to them and closes those to any other node. */
    void onSlotMapChanged(SlotMap map) {
        int size = 0;
        for (Shard shard : map.shards()) {
            size = Math.max(size, shard.master().index() + 1);
        }
        ClusterNode[][] byMaster = new ClusterNode[size][];
        Set<ClusterNode> all = new HashSet<>();
        for (Shard shard : map.shards()) {
            List<ClusterNode> readable = shard.readableReplicas();
            byMaster[shard.master().index()] = readable.toArray(NONE);
            all.addAll(readable);
        }
        for (int i = 0; i < size; i++) {
            if (byMaster[i] == null) {
                byMaster[i] = NONE;
            }
        }
        readableByMaster = byMaster;
        pools.keepOnly(all);
    }

    void forEachConnection(Consumer<NodeConnection> action) {
        pools.forEachConnection(action);
    }

    void expireStuck(long nowNanos) {
        pools.expireStuck(nowNanos);
    }

    void close(String reason) {
        pools.close(reason);
    }
}
