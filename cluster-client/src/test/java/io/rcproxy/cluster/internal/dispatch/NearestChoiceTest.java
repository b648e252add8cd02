package io.rcproxy.cluster.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rcproxy.cluster.topology.ClusterNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule that picks the nearest node of a shard, with hysteresis: {@link NearestNodes#choose}. */
class NearestChoiceTest {

    private static final ClusterNode MASTER = ClusterNode.of("127.0.0.1", 27310);
    private static final ClusterNode R1 = ClusterNode.of("127.0.0.1", 27311);
    private static final ClusterNode R2 = ClusterNode.of("127.0.0.1", 27312);
    private static final ClusterNode[] SHARD = {MASTER, R1, R2};

    private final Map<ClusterNode, Long> micros = new HashMap<>();

    private ClusterNode choose(ClusterNode current) {
        return NearestNodes.choose(current, SHARD, n -> micros.getOrDefault(n, 0L) * 1000, n -> true);
    }

    @Test
    void withoutAChoiceTheFastestMeasuredNodeIsTaken() {
        micros.put(MASTER, 300L);
        micros.put(R1, 200L);
        micros.put(R2, 250L);
        assertEquals(R1, choose(null));
        micros.put(R1, 0L); // unmeasured
        assertEquals(R2, choose(null));
    }

    @Test
    void closeLatenciesKeepTheCurrentNode() {
        micros.put(MASTER, 300L);
        micros.put(R1, 200L);
        micros.put(R2, 170L);
        assertEquals(R1, choose(R1), "15% faster is not enough to move the reads");
        micros.put(R2, 140L);
        assertEquals(R2, choose(R1), "30% and 60 µs faster moves them");
    }

    @Test
    void aSmallAbsoluteGainKeepsTheCurrentNodeEvenWhenRelativelyLarge() {
        micros.put(MASTER, 60L);
        micros.put(R1, 20L);
        assertEquals(MASTER, choose(MASTER), "a third of the latency, but only 40 µs faster");
        micros.put(MASTER, 80L);
        assertEquals(R1, choose(MASTER));
    }

    @Test
    void aCurrentNodeThatIsUnmeasuredOrDownLosesTheReadsAtOnce() {
        micros.put(MASTER, 300L);
        micros.put(R1, 200L);
        micros.put(R2, 190L);
        assertEquals(R2, NearestNodes.choose(R1, SHARD, n -> micros.get(n) * 1000, n -> n != R1));
        micros.put(R1, 0L);
        assertEquals(R2, choose(R1));
    }

    @Test
    void nothingMeasuredAndUsableMeansNoChoice() {
        assertNull(choose(null));
        micros.put(R1, 100L);
        assertNull(NearestNodes.choose(R1, SHARD, n -> micros.getOrDefault(n, 0L) * 1000, n -> false));
    }
}
