package io.rcproxy.cluster.internal.dispatch;

import io.netty.channel.EventLoop;
import io.rcproxy.cluster.spi.ClusterListener;
import io.rcproxy.cluster.spi.MasterRead;
import io.rcproxy.cluster.spi.ReadFrom;
import io.rcproxy.cluster.internal.connection.ConnectionOptions;
import io.rcproxy.cluster.internal.connection.LoopFlusher;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.Shard;
import io.rcproxy.cluster.topology.SlotMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One loop's reads from replicas: which replicas of each master may serve reads (the slot map's readable
 * replicas), and the loop's multiplexed pools to them, whose connections send {@code READONLY} first. It
 * exists only when reads from replicas are on, so a proxy reading from masters holds none of it. With
 * {@link ReadFrom#NEAREST} it also keeps the loop's {@link NearestNodes} and their probe timer.
 *
 * <p>Thread: confined to the loop.
 */
final class ReplicaReads {

    private static final ClusterNode[] NONE = new ClusterNode[0];

    private final ReadFrom mode;
    /** Replicas further behind their master than this many bytes serve no reads. */
    private final long maxLagBytes;
    private final LoopPools pools;
    private final Predicate<ClusterNode> usable;
    private final ClusterListener events;
    /** Null unless the mode is NEAREST. */
    private final NearestNodes nearest;
    private final ScheduledFuture<?> probes;
    /** Readable replicas by master {@link ClusterNode#index()}; shorter than the highest index when absent. */
    private ClusterNode[][] readableByMaster = new ClusterNode[0][];
    /**
     * The map the table was built from. A change of replicas alone (one done loading, new lags) replaces
     * the topology's map without telling the routers, so a read compares the map it routes by with this.
     */
    private SlotMap builtFrom;

    ReplicaReads(ReadFrom mode, long maxLagBytes, EventLoop loop, LoopFlusher flusher, int connectionsPerNode,
                 ConnectionOptions options, NodeConnection.Listener listener, ClusterListener events,
                 Function<ClusterNode, NodeConnection> masterConnection) {
        this.mode = mode;
        this.maxLagBytes = maxLagBytes;
        this.events = events;
        this.pools = new LoopPools(loop, flusher, connectionsPerNode, options.forReplicas(), listener);
        this.usable = node -> pools.pool(node).connection(0).isUsable();
        if (mode == ReadFrom.NEAREST) {
            nearest = new NearestNodes(masterConnection, node -> pools.pool(node).connection(0), events);
            probes = loop.scheduleWithFixedDelay(nearest::probe, 0, NearestNodes.PROBE_INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
        } else {
            nearest = null;
            probes = null;
        }
    }

    ReadFrom mode() {
        return mode;
    }

    /** Whether a read a replica lost goes to the master (every mode but REPLICA). */
    boolean fallsBackToMaster() {
        return mode != ReadFrom.REPLICA;
    }

    /**
     * The connection a read of {@code master}'s slot (routed by {@code map}) with {@code affinity} goes to,
     * or null when it goes to the master or no readable replica can take it now (the caller decides: the
     * master, or an error). Reports where the read went to the events listener, except a failure.
     */
    NodeConnection connection(SlotMap map, ClusterNode master, int affinity) {
        if (map != builtFrom) {
            onSlotMapChanged(map);
        }
        ClusterNode replica = null;
        if (nearest != null) {
            ClusterNode near = nearest.choice(master);
            if (near == master) {
                events.onMasterRead(MasterRead.NEAREST_IS_MASTER);
                return null;
            }
            if (near != null && usable.test(near)) {
                replica = near;
            }
        }
        if (replica == null) {
            int i = master.index();
            ClusterNode[] replicas = i < readableByMaster.length ? readableByMaster[i] : NONE;
            replica = choose(replicas, affinity, usable);
        }
        if (replica == null) {
            if (mode != ReadFrom.REPLICA) {
                events.onMasterRead(MasterRead.NO_READABLE_REPLICA);
            }
            return null;
        }
        events.onReplicaRead(replica);
        return pools.pool(replica).connection(affinity);
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

    /**
     * Takes the readable replicas of the new map that are at most {@code maxLagBytes} behind, opens pools
     * to them and closes those to any other node.
     */
    void onSlotMapChanged(SlotMap map) {
        builtFrom = map;
        int size = 0;
        for (Shard shard : map.shards()) {
            size = Math.max(size, shard.master().index() + 1);
        }
        ClusterNode[][] byMaster = new ClusterNode[size][];
        Set<ClusterNode> all = new HashSet<>();
        for (Shard shard : map.shards()) {
            List<ClusterNode> readable = readable(shard, maxLagBytes);
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
        if (nearest != null) {
            ClusterNode[][] candidates = new ClusterNode[size][];
            for (Shard shard : map.shards()) {
                ClusterNode[] replicas = byMaster[shard.master().index()];
                ClusterNode[] list = new ClusterNode[replicas.length + 1];
                list[0] = shard.master();
                System.arraycopy(replicas, 0, list, 1, replicas.length);
                candidates[shard.master().index()] = list;
            }
            nearest.candidates(candidates);
        }
    }

    /** The shard's online replicas no more than {@code maxLagBytes} behind its master (unknown lag: 0). */
    static List<ClusterNode> readable(Shard shard, long maxLagBytes) {
        List<ClusterNode> readable = new ArrayList<>(shard.readableReplicas().size());
        for (ClusterNode replica : shard.readableReplicas()) {
            if (shard.lagOf(replica) <= maxLagBytes) {
                readable.add(replica);
            }
        }
        return readable;
    }

    void forEachConnection(Consumer<NodeConnection> action) {
        pools.forEachConnection(action);
    }

    void expireStuck(long nowNanos) {
        pools.expireStuck(nowNanos);
    }

    void close(String reason) {
        if (probes != null) {
            probes.cancel(false);
        }
        pools.close(reason);
    }
}
