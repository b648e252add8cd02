package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The metrics of reads from replicas against a cluster with one replica per master: reads per replica,
 * reads kept on the master by reason, the latencies {@code nearest} measures. Each count is checked
 * against what the nodes say they served (INFO commandstats).
 */
@ExtendWith(RedisClusterExtension.class)
class ReplicaReadMetricsIT {

    private static final String KEY = "{replica-metrics}:key";
    private static final String REPLICA_READS = "redis_proxy_replica_reads_total";
    private static final String MASTER_READS = "redis_proxy_master_reads_total";
    private static final String LATENCY = "redis_proxy_node_latency_seconds";

    @Test
    void readsAreCountedPerReplicaAndFallbacksByReason(
            @PrivateCluster(masters = 3, replicas = 1) RedisClusterProcess cluster) throws InterruptedException {
        int master = PinnedTesting.masterOf(cluster, KEY);
        int replica = cluster.replicaPortsOf(master).get(0);
        seed(cluster, master);
        try (RunningProxy proxy = RunningProxy.start(cluster, config("replica-preferred", "1h"));
             RedisTestConnection reader = proxy.connect(); RedisTestConnection writer = proxy.connect();
             RedisTestConnection r = cluster.connect(replica)) {
            int metrics = proxy.metricsPort();
            Map<String, String> onReplica = Map.of("node", NodeStats.address(replica));
            assertTrue(PinnedTesting.eventually(() -> "value".equals(reader.callText("GET", KEY))
                    && count(metrics, REPLICA_READS, onReplica) > 0, 20_000), "the replica serves reads");

            double replicaReads = count(metrics, REPLICA_READS, onReplica);
            long replicaGets = NodeStats.calls(cluster, replica, "get");
            for (int i = 0; i < 20; i++) {
                assertEquals("value", reader.callText("GET", KEY));
            }
            assertEquals(replicaReads + 20, count(metrics, REPLICA_READS, onReplica));
            assertEquals(replicaGets + 20, NodeStats.calls(cluster, replica, "get"));

            double pinned = count(metrics, MASTER_READS, reason("read_your_writes"));
            assertEquals("OK", writer.callText("SET", KEY + ":own", "mine"));
            for (int i = 0; i < 5; i++) {
                assertEquals("mine", writer.callText("GET", KEY + ":own"));
            }
            assertEquals(pinned + 5, count(metrics, MASTER_READS, reason("read_your_writes")));

            double lost = count(metrics, MASTER_READS, reason("replica_connection_lost"));
            r.call("CLIENT", "PAUSE", "10000", "ALL"); // the replica holds the next read unanswered
            reader.sendRaw(RedisTestConnection.command("GET", KEY));
            Thread.sleep(300);
            cluster.killNode(replica);
            try {
                assertEquals("value", new String((byte[]) reader.readReply(), StandardCharsets.UTF_8));
                assertEquals(lost + 1, count(metrics, MASTER_READS, reason("replica_connection_lost")),
                        "the read the replica took with it was resent to the master");
                double none = count(metrics, MASTER_READS, reason("no_readable_replica"));
                for (int i = 0; i < 10; i++) {
                    assertEquals("value", reader.callText("GET", KEY));
                }
                assertEquals(none + 10, count(metrics, MASTER_READS, reason("no_readable_replica")),
                        "with the replica gone every read goes to the master, counted");
            } finally {
                cluster.restartNode(replica);
            }
        }
    }

    @Test
    void nearestMeasuresEveryNodeAndLeavesAStalledReplica(
            @PrivateCluster(masters = 3, replicas = 1) RedisClusterProcess cluster) throws InterruptedException {
        int master = PinnedTesting.masterOf(cluster, KEY);
        int replica = cluster.replicaPortsOf(master).get(0);
        seed(cluster, master);
        Map<String, Object> config = config("nearest", "0s");
        config.put("proxy.io.event-loops", 1); // one loop, so the gauge is the view the reads are routed by
        try (RunningProxy proxy = RunningProxy.start(cluster, config);
             RedisTestConnection c = proxy.connect(); RedisTestConnection r = cluster.connect(replica)) {
            int metrics = proxy.metricsPort();
            Map<String, String> masterNode = Map.of("node", NodeStats.address(master));
            Map<String, String> replicaNode = Map.of("node", NodeStats.address(replica));
            assertTrue(PinnedTesting.eventually(() -> count(metrics, LATENCY, masterNode) > 0
                    && count(metrics, LATENCY, replicaNode) > 0, 20_000), "both nodes of the shard are measured");
            for (int port : cluster.allPorts()) {
                double seconds = count(metrics, LATENCY, Map.of("node", NodeStats.address(port)));
                assertTrue(seconds > 0 && seconds < 1, port + " measured at " + seconds + " s");
            }

            double toReplica = count(metrics, REPLICA_READS, replicaNode);
            double toMaster = count(metrics, MASTER_READS, reason("nearest_is_master"));
            long replicaGets = NodeStats.calls(cluster, replica, "get");
            long masterGets = NodeStats.calls(cluster, master, "get");
            for (int i = 0; i < 30; i++) {
                assertEquals("value", c.callText("GET", KEY));
            }
            double replicaShare = count(metrics, REPLICA_READS, replicaNode) - toReplica;
            double masterShare = count(metrics, MASTER_READS, reason("nearest_is_master")) - toMaster;
            assertEquals(30, replicaShare + masterShare, "each read went to the nearest node of the shard");
            assertEquals(replicaGets + (long) replicaShare, NodeStats.calls(cluster, replica, "get"));
            assertEquals(masterGets + (long) masterShare, NodeStats.calls(cluster, master, "get"));

            r.call("CLIENT", "PAUSE", "6000", "ALL"); // the replica stalls: its probe waits
            assertTrue(PinnedTesting.eventually(() -> count(metrics, LATENCY, replicaNode) > 0.05, 4_000),
                    "the stalled replica's probe counts as slow before it is answered");
            toMaster = count(metrics, MASTER_READS, reason("nearest_is_master"));
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                assertEquals("value", c.callText("GET", KEY));
                long took = System.nanoTime() - start;
                int read = i;
                assertTrue(took < 1_000_000_000L, () -> "read " + read + " answered by the master, not held: "
                        + took / 1_000_000 + " ms; " + AdminHttp.get(metrics, "/metrics").body().lines()
                        .filter(l -> l.startsWith("redis_proxy_node_latency") || l.startsWith("redis_proxy_master_reads")
                                || l.startsWith("redis_proxy_replica_reads")).toList());
            }
            assertEquals(toMaster + 20, count(metrics, MASTER_READS, reason("nearest_is_master")));
        }
    }

    private static void seed(RedisClusterProcess cluster, int master) {
        try (RedisTestConnection m = cluster.connect(master)) {
            m.call("SET", KEY, "value");
            assertEquals(1L, m.call("WAIT", "1", "5000"));
        }
    }

    private static Map<String, Object> config(String readFrom, String window) {
        Map<String, Object> config = new HashMap<>();
        config.put("proxy.read-from", readFrom);
        config.put("proxy.replica.read-your-writes-window", window);
        config.put("proxy.cluster.refresh-interval", "200ms");
        return config;
    }

    private static Map<String, String> reason(String reason) {
        return Map.of("reason", reason);
    }

    /** A sample's value, 0 while the series does not exist yet. */
    private static double count(int metricsPort, String name, Map<String, String> labels) {
        double value = AdminHttp.metric(metricsPort, name, labels);
        return Double.isNaN(value) ? 0 : value;
    }
}
