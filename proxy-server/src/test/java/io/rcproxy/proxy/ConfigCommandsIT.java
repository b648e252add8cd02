package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CONFIG SET/GET/RESETSTAT/REWRITE through the proxy, on a cluster with replicas. */
@ExtendWith(RedisClusterExtension.class)
class ConfigCommandsIT {

    private static RedisClusterProcess cluster;
    private static RunningProxy proxy;

    @BeforeAll
    static void start(@PrivateCluster(masters = 3, replicas = 1) RedisClusterProcess privateCluster) {
        cluster = privateCluster;
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static String nodeConfig(int port, String parameter) {
        try (RedisTestConnection node = cluster.connect(port)) {
            return PinnedTesting.texts(node.call("CONFIG", "GET", parameter)).get(1);
        }
    }

    @Test
    void configSetReachesEveryMasterAndReplica() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru", "slowlog-max-len", "77"));
            assertEquals(6, cluster.allPorts().size());
            for (int port : cluster.allPorts()) {
                assertEquals("allkeys-lru", nodeConfig(port, "maxmemory-policy"), "node " + port);
                assertEquals("77", nodeConfig(port, "slowlog-max-len"), "node " + port);
            }
            assertEquals(List.of("maxmemory-policy", "allkeys-lru"),
                    PinnedTesting.texts(c.call("CONFIG", "GET", "maxmemory-policy")));
            assertEquals("OK", c.call("CONFIG", "SET", "maxmemory-policy", "noeviction"));
        }
    }

    @Test
    void aValueTheFirstMasterRefusesChangesNoNode() {
        try (RedisTestConnection c = proxy.connect()) {
            String before = nodeConfig(cluster.replicaPorts().get(0), "hz");
            RedisErrorReply error = assertInstanceOf(RedisErrorReply.class,
                    c.callRaw("CONFIG", "SET", "hz", "10", "no-such-parameter", "1"));
            assertTrue(error.message().startsWith("ERR Unknown option or number of arguments for CONFIG SET"),
                    error.message());
            for (int port : cluster.allPorts()) {
                assertEquals(before, nodeConfig(port, "hz"), "node " + port);
            }
        }
    }

    @Test
    void aLaterNodesRefusalNamesItAndSaysHowManyApplied() {
        int replica = cluster.replicaPorts().get(0);
        // That replica alone refuses CONFIG SET to the default user, which the proxy's connections use.
        try (RedisTestConnection node = cluster.connect(replica)) {
            assertEquals("OK", node.call("ACL", "SETUSER", "default", "-config|set"));
        }
        try (RedisTestConnection c = proxy.connect()) {
            RedisErrorReply error = assertInstanceOf(RedisErrorReply.class,
                    c.callRaw("CONFIG", "SET", "hz", "11"));
            assertTrue(error.message().startsWith("ERR CONFIG SET failed on 127.0.0.1:" + replica
                    + " (applied on 5 of 6 nodes): NOPERM"), error.message());
        } finally {
            try (RedisTestConnection node = cluster.connect(replica)) {
                assertEquals("OK", node.call("ACL", "SETUSER", "default", "+@all"));
            }
        }
        assertEquals("11", nodeConfig(cluster.masterPorts().get(0), "hz"));
    }

    @Test
    void configGetAnswersTheProxysPortAndTheMajorityValue() {
        List<Integer> masters = cluster.masterPorts();
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals(List.of("port", Integer.toString(proxy.port())),
                    PinnedTesting.texts(c.call("CONFIG", "GET", "port")));
            assertEquals("OK", c.call("CONFIG", "SET", "list-max-listpack-size", "-2"));
            try (RedisTestConnection odd = cluster.connect(masters.get(1))) {
                assertEquals("OK", odd.call("CONFIG", "SET", "list-max-listpack-size", "64"));
            }
            assertEquals(List.of("list-max-listpack-size", "-2"),
                    PinnedTesting.texts(c.call("CONFIG", "GET", "list-max-listpack-size")));
            List<String> several = PinnedTesting.texts(c.call("CONFIG", "GET", "hz", "maxclients"));
            assertEquals(4, several.size(), several.toString());
            assertEquals("10000", several.get(several.indexOf("maxclients") + 1));
        }
    }

    @Test
    void resetStatResetsEveryNode() {
        try (RedisTestConnection c = proxy.connect()) {
            for (int i = 0; i < 50; i++) {
                c.call("SET", "cfg:" + i, "v");
            }
            assertEquals("OK", c.call("CONFIG", "RESETSTAT"));
            for (int port : cluster.allPorts()) {
                try (RedisTestConnection node = cluster.connect(port)) {
                    String stats = node.callText("INFO", "commandstats");
                    assertTrue(!stats.contains("cmdstat_set:"), "node " + port + ": " + stats);
                }
            }
        }
    }

    @Test
    void rewriteWithoutConfigFilesNamesTheFirstNodeThatFailed() {
        try (RedisTestConnection c = proxy.connect()) {
            RedisErrorReply error = assertInstanceOf(RedisErrorReply.class, c.callRaw("CONFIG", "REWRITE"));
            assertTrue(error.message().startsWith("ERR CONFIG REWRITE failed on 127.0.0.1:"), error.message());
            assertTrue(error.message().endsWith(
                    "(applied on 0 of 6 nodes): The server is running without a config file"), error.message());
        }
    }
}
