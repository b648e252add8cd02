package io.rcproxy.cluster.topology;

import java.util.List;
import java.util.Map;

/**
 * One master with its replicas, as found in CLUSTER SHARDS or CLUSTER SLOTS.
 *
 * @param replicas         every replica the cluster lists for the master
 * @param readableReplicas the replicas that may serve reads: those CLUSTER SHARDS reports {@code online}
 *                         (not {@code loading}, not {@code fail}); all of them from CLUSTER SLOTS, which
 *                         gives no health
 * @param replicaLag       per replica, how many bytes of replication stream it is behind the master, from
 *                         the {@code replication-offset}s CLUSTER SHARDS gives (the answering node's gossip
 *                         view, so approximate); empty when unknown (CLUSTER SLOTS)
 */
public record Shard(ClusterNode master, List<ClusterNode> replicas, List<ClusterNode> readableReplicas,
                    Map<ClusterNode, Long> replicaLag) {

    public Shard {
        replicas = List.copyOf(replicas);
        readableReplicas = List.copyOf(readableReplicas);
        replicaLag = Map.copyOf(replicaLag);
    }

    /** A shard whose replicas are all readable, lag unknown. */
    public Shard(ClusterNode master, List<ClusterNode> replicas) {
        this(master, replicas, replicas, Map.of());
    }

    /** How far {@code replica} is behind the master in bytes; 0 when unknown. */
    public long lagOf(ClusterNode replica) {
        Long lag = replicaLag.get(replica);
        return lag == null ? 0 : lag;
    }
}
