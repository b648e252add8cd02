package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * proxy.read-from against a cluster with one replica per master: which node serves a read, seen in the
 * nodes' own INFO commandstats and errorstats and CLIENT LIST.
 */
@ExtendWith(RedisClusterExtension.class)
class ReplicaReadsIT {

    private static final String KEY = "{replica-reads}:key"; // one slot for every key here

    private static RedisClusterProcess cluster;
    private static RunningProxy replicaPreferred;
    private static RunningProxy pinning;
    private static RunningProxy masterOnly;
    private static int master;
    private static int replica;

    @BeforeAll
    static void start(@PrivateCluster(masters = 3, replicas = 1) RedisClusterProcess privateCluster) {
        cluster = privateCluster;
        master = PinnedTesting.masterOf(cluster, KEY);
        replica = cluster.replicaPortsOf(master).get(0);
        try (RedisTestConnection m = cluster.connect(master)) {
            m.call("SET", KEY, "value");
            assertEquals(1L, m.call("WAIT", "1", "5000"), "the replica has the key");
        }
        // A short refresh: a replica still syncing when the first map was read is taken once it is online.
        Map<String, Object> common = Map.of("proxy.cluster.refresh-interval", "200ms");
        replicaPreferred = RunningProxy.start(cluster, with(common, "replica-preferred", "0s"));
        pinning = RunningProxy.start(cluster, with(common, "replica-preferred", "1h"));
        masterOnly = RunningProxy.start(cluster, common);
        awaitReplicaServes();
    }

    private static Map<String, Object> with(Map<String, Object> common, String readFrom, String window) {
        Map<String, Object> all = new java.util.HashMap<>(common);
        all.put("proxy.read-from", readFrom);
        all.put("proxy.replica.read-your-writes-window", window);
        return all;
    }

    @AfterAll
    static void stop() {
        for (RunningProxy proxy : new RunningProxy[] {replicaPreferred, pinning, masterOnly}) {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    @Test
    void readsAreServedByTheReplica() {
        long replicaGets = stat(replica, "commandstats", "cmdstat_get", "calls");
        long masterGets = stat(master, "commandstats", "cmdstat_get", "calls");
        try (RedisTestConnection c = replicaPreferred.connect()) {
            for (int i = 0; i < 50; i++) {
                assertEquals("value", c.callText("GET", KEY));
            }
        }
        assertEquals(replicaGets + 50, stat(replica, "commandstats", "cmdstat_get", "calls"));
        assertEquals(masterGets, stat(master, "commandstats", "cmdstat_get", "calls"));
        assertTrue(PinnedTesting.backendClients(cluster, replica, line -> flags(line).contains("r")) > 0,
                "the proxy's connections to the replica are READONLY");
    }

    @Test
    void writesStillGoToTheMaster() {
        long masterSets = stat(master, "commandstats", "cmdstat_set", "calls");
        long replicaMoved = stat(replica, "errorstats", "errorstat_MOVED", "count");
        try (RedisTestConnection c = replicaPreferred.connect()) {
            for (int i = 0; i < 20; i++) {
                assertEquals("OK", c.callText("SET", KEY + ":w", "v" + i));
            }
        }
        assertTrue(stat(master, "commandstats", "cmdstat_set", "calls") >= masterSets + 20);
        assertEquals(replicaMoved, stat(replica, "errorstats", "errorstat_MOVED", "count"),
                "no write reached the replica");
    }

    @Test
    void aClientReadsItsOwnWritesFromTheMaster() {
        try (RedisTestConnection c = pinning.connect(); RedisTestConnection other = pinning.connect()) {
            long replicaGets = stat(replica, "commandstats", "cmdstat_get", "calls");
            for (int i = 0; i < 20; i++) {
                assertEquals("value", other.callText("GET", KEY)); // never wrote: reads from the replica
            }
            assertEquals(replicaGets + 20, stat(replica, "commandstats", "cmdstat_get", "calls"));
            long masterGets = stat(master, "commandstats", "cmdstat_get", "calls");
            for (int i = 0; i < 20; i++) {
                assertEquals("OK", c.callText("SET", KEY + ":own", "v" + i));
                assertEquals("v" + i, c.callText("GET", KEY + ":own"), "its own write, at once");
            }
            assertEquals(masterGets + 20, stat(master, "commandstats", "cmdstat_get", "calls"));
            assertEquals(replicaGets + 20, stat(replica, "commandstats", "cmdstat_get", "calls"),
                    "within the window the writer's reads stay on the master");
        }
    }

    @Test
    void masterModeSendsNothingToReplicas() {
        long replicaGets = stat(replica, "commandstats", "cmdstat_get", "calls");
        long masterGets = stat(master, "commandstats", "cmdstat_get", "calls");
        try (RedisTestConnection c = masterOnly.connect()) {
            for (int i = 0; i < 30; i++) {
                assertEquals("value", c.callText("GET", KEY));
            }
        }
        assertEquals(replicaGets, stat(replica, "commandstats", "cmdstat_get", "calls"));
        assertEquals(masterGets + 30, stat(master, "commandstats", "cmdstat_get", "calls"));
    }

    /** Until the first proxy's map lists the replica online and a GET through it reaches the replica. */
    private static void awaitReplicaServes() {
        long deadline = System.nanoTime() + 20_000_000_000L;
        try (RedisTestConnection c = replicaPreferred.connect(); RedisTestConnection p = pinning.connect()) {
            while (System.nanoTime() < deadline) {
                long before = stat(replica, "commandstats", "cmdstat_get", "calls");
                c.call("GET", KEY);
                p.call("GET", KEY);
                if (stat(replica, "commandstats", "cmdstat_get", "calls") >= before + 2) {
                    return;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("the replica never served a read");
    }

    private static String flags(String clientLine) {
        return Arrays.stream(clientLine.split(" ")).filter(f -> f.startsWith("flags=")).findFirst().orElse("");
    }

    /** One field of an INFO line such as {@code cmdstat_get:calls=3,usec=...}; 0 when the line is absent. */
    private static long stat(int port, String section, String name, String field) {
        try (RedisTestConnection node = cluster.connect(port)) {
            for (String line : node.callText("INFO", section).split("\r\n")) {
                if (line.startsWith(name + ":")) {
                    for (String part : line.substring(name.length() + 1).split(",")) {
                        if (part.startsWith(field + "=")) {
                            return Long.parseLong(part.substring(field.length() + 1));
                        }
                    }
                }
            }
        }
        return 0;
    }
}
