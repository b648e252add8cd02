package io.rcproxy.cluster.topology;

import java.util.List;

/** One master with its replicas, as found in CLUSTER SHARDS or CLUSTER SLOTS. */
public record Shard(ClusterNode master, List<ClusterNode> replicas) {

    public Shard {
        replicas = List.copyOf(replicas);
    }
}
