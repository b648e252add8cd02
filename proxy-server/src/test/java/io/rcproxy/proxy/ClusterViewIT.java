package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.error;
import static io.rcproxy.proxy.PinnedTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CLUSTER INFO/KEYSLOT/MYID, and the one-node cluster of proxy.listen.present-as-cluster. */
@ExtendWith(RedisClusterExtension.class)
class ClusterViewIT {

    private static RunningProxy standalone;
    private static RunningProxy asCluster;

    @BeforeAll
    static void start(RedisClusterProcess cluster) {
        standalone = RunningProxy.start(cluster);
        asCluster = RunningProxy.start(cluster, Map.of("proxy.listen.present-as-cluster", true));
    }

    @AfterAll
    static void stop() {
        standalone.close();
        asCluster.close();
    }

    @Test
    void clusterInfoKeyslotAndMyidAreAnswered() {
        try (RedisTestConnection c = standalone.connect()) {
            String info = c.callText("CLUSTER", "INFO");
            assertTrue(info.startsWith("cluster_state:ok\r\ncluster_slots_assigned:16384\r\n"), info);
            assertTrue(info.contains("cluster_known_nodes:1\r\n"), info);
            assertEquals(12182L, c.call("CLUSTER", "KEYSLOT", "foo"));
            assertEquals(c.call("CLUSTER", "KEYSLOT", "user1"), c.call("CLUSTER", "KEYSLOT", "{user1}.name"));
            String id = c.callText("CLUSTER", "MYID");
            assertEquals(40, id.length());
            assertTrue(c.callText("INFO", "server").contains("run_id:" + id + "\r\n"));
            assertEquals("OK", c.call("READONLY"));
            assertEquals("OK", c.call("READWRITE"));
        }
    }

    @Test
    void keysInASlotAreCountedAndListedByThatSlotsMaster() {
        try (RedisTestConnection c = standalone.connect()) {
            c.call("SET", "foo", "v");
            assertEquals(1L, c.call("CLUSTER", "COUNTKEYSINSLOT", "12182"));
            assertEquals(List.of("foo"), PinnedTesting.texts(c.call("CLUSTER", "GETKEYSINSLOT", "12182", "10")));
            assertEquals("ERR Invalid slot", error(c.callRaw("CLUSTER", "COUNTKEYSINSLOT", "16384")));
        }
    }

    @Test
    void aStandaloneProxyRefusesTheClusterLayoutAsRedisDoes() {
        try (RedisTestConnection c = standalone.connect()) {
            for (String sub : List.of("SLOTS", "SHARDS", "NODES")) {
                assertEquals("ERR This instance has cluster support disabled", error(c.callRaw("CLUSTER", sub)));
            }
            assertTrue(c.callText("INFO", "cluster").contains("cluster_enabled:0"));
        }
    }

    @Test
    void asAClusterTheProxyIsOneNodeOwningEverySlot() {
        try (RedisTestConnection c = asCluster.connect()) {
            List<?> slots = (List<?>) c.call("CLUSTER", "SLOTS");
            List<?> range = (List<?>) slots.get(0);
            assertEquals(List.of(0L, 16383L), range.subList(0, 2));
            List<?> node = (List<?>) range.get(2);
            assertEquals("127.0.0.1", text(node.get(0)));
            assertEquals((long) asCluster.port(), node.get(1));
            String nodes = c.callText("CLUSTER", "NODES");
            assertTrue(nodes.contains(" 127.0.0.1:" + asCluster.port() + "@" + (asCluster.port() + 10000)
                    + " myself,master - 0 0 1 connected 0-16383"), nodes);
            assertEquals(1, ((List<?>) c.call("CLUSTER", "SHARDS")).size());
            String info = c.callText("INFO", "server", "cluster");
            assertTrue(info.contains("redis_mode:cluster\r\n") && info.contains("cluster_enabled:1\r\n"), info);
        }
    }

    @Test
    void lettucesClusterClientWorksThroughTheOneNodeCluster() {
        RedisClusterClient client = RedisClusterClient.create(RedisURI.create("127.0.0.1", asCluster.port()));
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            for (int i = 0; i < 50; i++) {
                assertEquals("OK", connection.sync().set("view:" + i, Integer.toString(i)));
            }
            for (int i = 0; i < 50; i++) {
                assertEquals(Integer.toString(i), connection.sync().get("view:" + i));
            }
            assertEquals(1, client.getPartitions().size());
        } finally {
            client.shutdown();
        }
    }
}
