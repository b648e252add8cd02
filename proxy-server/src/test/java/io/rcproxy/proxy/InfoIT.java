package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/** INFO through the proxy: every section of Redis 7.0, merged over the masters, parsed by real clients. */
@ExtendWith(RedisClusterExtension.class)
class InfoIT {

    private static RedisClusterProcess cluster;
    private static RunningProxy proxy;

    @BeforeAll
    static void start(RedisClusterProcess sharedCluster) {
        cluster = sharedCluster;
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    /** INFO's fields by name, the way client libraries read them. */
    static Map<String, String> fields(String info) {
        Map<String, String> fields = new HashMap<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (!line.startsWith("#") && colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    private static long field(RedisTestConnection c, String section, String name) {
        return Long.parseLong(fields(c.callText("INFO", section)).get(name));
    }

    private static long nodeSum(String section, String name) {
        long sum = 0;
        for (int port : cluster.masterPorts()) {
            try (RedisTestConnection node = cluster.connect(port)) {
                sum += Long.parseLong(fields(node.callText("INFO", section)).get(name));
            }
        }
        return sum;
    }

    @Test
    void theDefaultInfoHasEverySectionAndTheFieldsClientsLookFor() {
        try (RedisTestConnection c = proxy.connect()) {
            String info = c.callText("INFO");
            for (String section : List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
                    "Modules", "Errorstats", "Cluster", "Keyspace", "Proxy")) {
                assertTrue(info.contains("# " + section + "\r\n"), section + " in\n" + info);
            }
            Map<String, String> f = fields(info);
            assertEquals("7.0.15", f.get("redis_version"));
            assertEquals("standalone", f.get("redis_mode"));
            assertEquals("master", f.get("role"));
            assertEquals("0", f.get("connected_slaves"));
            assertEquals("0", f.get("loading"));
            assertEquals(Integer.toString(proxy.port()), f.get("tcp_port"));
            assertEquals(Long.toString(ProcessHandle.current().pid()), f.get("process_id"));
            for (String name : List.of("arch_bits", "used_memory", "used_memory_human", "used_memory_peak",
                    "total_commands_processed", "total_connections_received", "blocked_clients", "used_cpu_sys",
                    "used_cpu_user", "rdb_changes_since_last_save", "instantaneous_ops_per_sec", "keyspace_hits",
                    "mem_fragmentation_ratio", "run_id", "master_repl_offset")) {
                assertTrue(f.containsKey(name), name + " in\n" + info);
            }
            assertFalse(info.contains("slave0:"), "the cluster's replicas are not shown");
            assertFalse(info.contains("# Commandstats"), "not a default section");
            assertTrue(c.callText("INFO", "all").contains("# Commandstats\r\ncmdstat_"));
        }
    }

    @Test
    void eachSectionAnswersAlone() {
        try (RedisTestConnection c = proxy.connect()) {
            for (String section : List.of("memory", "stats", "replication", "persistence", "cpu", "keyspace",
                    "server", "clients", "cluster", "errorstats", "commandstats", "latencystats")) {
                String text = c.callText("INFO", section);
                assertTrue(text.startsWith("# "), section + ": " + text);
                assertEquals(1, text.split("# ").length - 1, "one section: " + text);
            }
            assertEquals("", c.callText("INFO", "nosuchsection"));
        }
    }

    @Test
    void countersAreSummedOverTheMasters() {
        try (RedisTestConnection c = proxy.connect()) {
            long before = field(c, "persistence", "rdb_changes_since_last_save");
            for (int i = 0; i < 40; i++) {
                c.call("SET", "info:" + i, "v");
            }
            long after = field(c, "persistence", "rdb_changes_since_last_save");
            assertTrue(after - before >= 40, before + " -> " + after);
            long used = field(c, "memory", "used_memory");
            long nodes = nodeSum("memory", "used_memory");
            // Both reads see the same data; memory moves a little between them.
            assertTrue(Math.abs(used - nodes) < nodes / 10, used + " vs " + nodes);
        }
    }

    @Test
    void connectionsAndBlockedClientsAreTheProxysOwn() throws Exception {
        try (RedisTestConnection c = proxy.connect()) {
            long before = field(c, "stats", "total_connections_received");
            for (int i = 0; i < 3; i++) {
                proxy.connect().close();
            }
            // A connection is counted once the proxy's loop has accepted it, a moment after connect returns.
            assertTrue(PinnedTesting.eventually(() -> field(c, "stats", "total_connections_received") == before + 3,
                    5000), () -> "expected " + (before + 3) + ": " + field(c, "stats", "total_connections_received"));
            try (RedisTestConnection blocked = proxy.connect()) {
                blocked.sendRaw(RedisTestConnection.command("BLPOP", "info:nothing", "5"));
                assertTrue(PinnedTesting.eventually(() -> field(c, "clients", "blocked_clients") == 1, 5000));
                c.call("RPUSH", "info:nothing", "x");
                assertEquals(List.of("info:nothing", "x"), PinnedTesting.texts(blocked.readReply()));
            }
        }
    }

    @Test
    void resetStatStartsTheProxysCountersAgain() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("CONFIG", "RESETSTAT"));
            assertEquals(0, field(c, "stats", "total_connections_received"));
            assertTrue(field(c, "stats", "total_commands_processed") < 50);
        }
    }

    @Test
    void jedisReadsInfoAndClientInfo() {
        try (Jedis jedis = new Jedis("127.0.0.1", proxy.port())) {
            Map<String, String> info = fields(jedis.info());
            assertEquals("master", info.get("role"));
            assertTrue(fields(jedis.info("memory")).containsKey("used_memory"));
            String client = jedis.clientInfo();
            assertTrue(client.startsWith("id="), client);
        }
    }

    @Test
    void lettuceMasterReplicaConnectsThroughTheProxy() {
        RedisClient client = RedisClient.create();
        try (StatefulRedisMasterReplicaConnection<String, String> connection = MasterReplica.connect(client,
                StringCodec.UTF8, RedisURI.create("127.0.0.1", proxy.port()))) {
            assertEquals("OK", connection.sync().set("info:lettuce", "v"));
            assertEquals("v", connection.sync().get("info:lettuce"));
            assertTrue(connection.sync().info("replication").contains("role:master"));
        } finally {
            client.shutdown();
        }
    }
}
