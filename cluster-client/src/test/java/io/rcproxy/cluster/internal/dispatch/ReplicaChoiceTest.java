package io.rcproxy.cluster.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.Shard;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule that picks which replica serves a read: {@link ReplicaReads#choose}. */
class ReplicaChoiceTest {

    private static final ClusterNode A = ClusterNode.of("127.0.0.1", 27301);
    private static final ClusterNode B = ClusterNode.of("127.0.0.1", 27302);
    private static final ClusterNode C = ClusterNode.of("127.0.0.1", 27303);
    private static final ClusterNode[] REPLICAS = {A, B, C};

    @Test
    void eachAffinityStaysOnOneReplica() {
        assertEquals(A, ReplicaReads.choose(REPLICAS, 0, n -> true));
        assertEquals(B, ReplicaReads.choose(REPLICAS, 1, n -> true));
        assertEquals(C, ReplicaReads.choose(REPLICAS, 2, n -> true));
        assertEquals(A, ReplicaReads.choose(REPLICAS, 3, n -> true));
        assertEquals(B, ReplicaReads.choose(REPLICAS, 3001, n -> true));
    }

    @Test
    void anUnusableReplicaPassesTheReadToTheNextOne() {
        assertEquals(C, ReplicaReads.choose(REPLICAS, 1, n -> n != B));
        assertEquals(A, ReplicaReads.choose(REPLICAS, 2, n -> n != C));
        assertEquals(B, ReplicaReads.choose(REPLICAS, 0, Set.of(B)::contains));
    }

    @Test
    void replicasTooFarBehindAreNotReadable() {
        Shard shard = new Shard(ClusterNode.of("127.0.0.1", 27300), List.of(A, B, C), List.of(A, B),
                Map.of(A, 10L, B, 2000L, C, 0L));
        assertEquals(List.of(A), ReplicaReads.readable(shard, 1000), "B lags, C is not online");
        assertEquals(List.of(A, B), ReplicaReads.readable(shard, Long.MAX_VALUE));
        assertEquals(List.of(A, B), ReplicaReads.readable(new Shard(shard.master(), List.of(A, B)), 0),
                "unknown lag is no lag");
    }

    @Test
    void noReadableReplicaMeansNone() {
        assertNull(ReplicaReads.choose(new ClusterNode[0], 5, n -> true));
        assertNull(ReplicaReads.choose(REPLICAS, 5, n -> false));
    }
}
