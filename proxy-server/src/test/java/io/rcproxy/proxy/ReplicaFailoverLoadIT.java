package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A replica's failures under a read load through the proxy, as production sees them: one killed with
 * {@code kill -9}, one promoted by {@code CLUSTER FAILOVER}. Reads must keep succeeding and no
 * acknowledged write may be lost. Loads are bounded (a few seconds, a few workers).
 */
@ExtendWith(RedisClusterExtension.class)
class ReplicaFailoverLoadIT {

    private static final String KEY = "{replica-failover}:key";
    private static final String COUNTER = "{replica-failover}:counter";
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(20);

    @Test
    void aKilledReplicaLeavesReadsToTheMasterWithReplicaPreferredAndNearest(
            @PrivateCluster(masters = 3, replicas = 1) RedisClusterProcess cluster) throws InterruptedException {
        int master = PinnedTesting.masterOf(cluster, KEY);
        int replica = cluster.replicaPortsOf(master).get(0);
        seed(cluster, master);
        try (RunningProxy preferred = RunningProxy.start(cluster, config("replica-preferred"));
             RunningProxy nearest = RunningProxy.start(cluster, config("nearest"))) {
            awaitReplicaReads(cluster, preferred, replica);
            long masterGets = NodeStats.calls(cluster, master, "get");
            KeyLoad onPreferred = KeyLoad.start(preferred, 2, KEY, "value", null, LOAD_LIMIT);
            KeyLoad onNearest = KeyLoad.start(nearest, 2, KEY, "value", null, LOAD_LIMIT);
            try {
                Thread.sleep(1000);
                long preferredBefore = onPreferred.reads();
                long nearestBefore = onNearest.reads();
                cluster.killNode(replica);
                Thread.sleep(3000); // failure detection (node timeout 2 s) and the refresh that drops it
                onPreferred.close();
                onNearest.close();
                assertEquals(List.of(), onPreferred.failures(), "replica-preferred: no read failed");
                assertEquals(List.of(), onNearest.failures(), "nearest: no read failed");
                assertTrue(onPreferred.reads() > preferredBefore + 100, "replica-preferred kept reading");
                assertTrue(onNearest.reads() > nearestBefore + 100, "nearest kept reading");
                assertTrue(NodeStats.calls(cluster, master, "get") > masterGets + 200,
                        "the master served the reads once its replica was gone");
            } finally {
                onPreferred.close();
                onNearest.close();
                cluster.restartNode(replica);
            }
        }
    }

    @Test
    void aManualFailoverServesThePromotedReplicasSlotsWithoutAnError(
            @PrivateCluster(masters = 3, replicas = 1) RedisClusterProcess cluster) throws InterruptedException {
        int master = PinnedTesting.masterOf(cluster, KEY);
        int replica = cluster.replicaPortsOf(master).get(0);
        seed(cluster, master);
        try (RunningProxy proxy = RunningProxy.start(cluster, config("replica-preferred"));
             RedisTestConnection r = cluster.connect(replica)) {
            awaitReplicaReads(cluster, proxy, replica);
            KeyLoad load = KeyLoad.start(proxy, 3, KEY, "value", COUNTER, LOAD_LIMIT);
            try {
                Thread.sleep(1000);
                assertEquals("OK", r.callText("CLUSTER", "FAILOVER"));
                assertTrue(PinnedTesting.eventually(() -> r.callText("INFO", "replication").contains("role:master")
                        && cluster.masterPorts().contains(replica), 15_000), "the replica was promoted");
                long readsAtPromotion = load.reads();
                long incrementsAtPromotion = load.increments();
                long promotedIncrs = NodeStats.calls(cluster, replica, "incr");
                Thread.sleep(3000);
                load.close();
                assertEquals(List.of(), load.failures(), "no client saw an error");
                assertTrue(load.reads() > readsAtPromotion + 100, "reads continued after the promotion");
                assertTrue(load.increments() > incrementsAtPromotion + 50, "writes continued after the promotion");
                assertTrue(NodeStats.calls(cluster, replica, "incr") > promotedIncrs + 50,
                        "the promoted replica serves its slot's writes");
                try (RedisTestConnection promoted = cluster.connect(replica)) {
                    assertEquals(Long.toString(load.increments()), promoted.callText("GET", COUNTER),
                            "every acknowledged increment is on the new master");
                }
            } finally {
                load.close();
            }
        }
    }

    private static void seed(RedisClusterProcess cluster, int master) {
        try (RedisTestConnection m = cluster.connect(master)) {
            m.call("SET", KEY, "value");
            m.call("SET", COUNTER, "0");
            assertEquals(1L, m.call("WAIT", "1", "5000"));
        }
    }

    /** Reads through {@code proxy} until {@code replica} has served some. */
    private static void awaitReplicaReads(RedisClusterProcess cluster, RunningProxy proxy, int replica)
            throws InterruptedException {
        try (RedisTestConnection c = proxy.connect()) {
            long before = NodeStats.calls(cluster, replica, "get");
            assertTrue(PinnedTesting.eventually(() -> "value".equals(c.callText("GET", KEY))
                    && NodeStats.calls(cluster, replica, "get") > before, 20_000),
                    "the replica serves reads");
        }
    }

    private static Map<String, Object> config(String readFrom) {
        Map<String, Object> config = new HashMap<>();
        config.put("proxy.read-from", readFrom);
        config.put("proxy.cluster.refresh-interval", "200ms");
        return config;
    }
}
