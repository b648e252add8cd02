package io.rcproxy.cluster.topology;

import java.util.List;

/**
 * One master with its replicas, as found in CLUSTER SHARDS or CLUSTER SLOTS.
 *
 * @param replicas         every replica the cluster lists for the master
 * @param readableReplicas the replicas that may serve reads: those CLUSTER SHARDS reports {@code online}
 *                         (not {@code loading}, not {@code fail}); all of them from CLUSTER SLOTS, which
 *                         gives no health
 */
public record Shard(ClusterNode master, List<ClusterNode> replicas, List<ClusterNode> readableReplicas) {

    public Shard {
        replicas = List.copyOf(replicas);
        readableReplicas = List.copyOf(readableReplicas);
    }

    /** A shard whose replicas are all readable. */
    public Shard(ClusterNode master, List<ClusterNode> replicas) {
        this(master, replicas, replicas);
    }
}
