package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Commands for the whole cluster: SCAN, KEYS, DBSIZE, RANDOMKEY, FLUSHALL, SCRIPT, FUNCTION, INFO. */
@ExtendWith(RedisClusterExtension.class)
class ClusterWideIT {

    private static final int KEYS = 2000;

    private static RedisClusterProcess cluster;
    private static RunningProxy proxy;

    @BeforeAll
    static void start(@PrivateCluster(masters = 3) RedisClusterProcess privateCluster) {
        cluster = privateCluster;
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @BeforeEach
    void emptyCluster() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("FLUSHALL"));
            assertEquals(0L, c.call("DBSIZE"));
        }
    }

    private static String text(Object bulk) {
        return bulk == null ? null : new String((byte[]) bulk, StandardCharsets.UTF_8);
    }

    private static void createKeys(RedisTestConnection c, String prefix, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes(RedisTestConnection.command("SET", prefix + i, "v"));
        }
        c.sendRaw(out.toByteArray());
        for (int i = 0; i < count; i++) {
            assertEquals("OK", c.readReply());
        }
    }

    /** Every key a full SCAN returns, failing on a key returned twice. */
    private static Set<String> scanAll(RedisTestConnection c, String... options) {
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<String> args = new ArrayList<>(List.of("SCAN", cursor));
            args.addAll(List.of(options));
            List<?> reply = (List<?>) c.call(args.toArray(String[]::new));
            cursor = text(reply.get(0));
            for (Object key : (List<?>) reply.get(1)) {
                assertTrue(seen.add(text(key)), "returned twice: " + text(key));
            }
            assertTrue(++calls < 10_000, "SCAN does not end");
        } while (!cursor.equals("0"));
        return seen;
    }

    @Test
    void scanVisitsEveryKeyOfEveryMasterExactlyOnce() {
        try (RedisTestConnection c = proxy.connect()) {
            createKeys(c, "scan:a:", KEYS);
            createKeys(c, "other:", 100);
            Set<String> all = scanAll(c, "COUNT", "100");
            assertEquals(KEYS + 100, all.size());
            Set<String> matched = scanAll(c, "MATCH", "scan:a:*", "COUNT", "50");
            assertEquals(KEYS, matched.size());
            for (int i = 0; i < KEYS; i++) {
                assertTrue(matched.contains("scan:a:" + i));
            }
            assertEquals(KEYS + 100, scanAll(c, "TYPE", "string").size());
            assertEquals(0, scanAll(c, "TYPE", "list").size());
        }
    }

    @Test
    void scanRefusesCursorsItDidNotGive() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("ERR invalid cursor", ((RedisErrorReply) c.callRaw("SCAN", "abc")).message());
            assertEquals("ERR invalid cursor", ((RedisErrorReply) c.callRaw("SCAN", "999")).message());
            assertInstanceOf(RedisErrorReply.class, c.callRaw("SCAN"));
        }
    }

    @Test
    void scanOfAnEmptyKeyspaceEndsAtOnce() {
        try (RedisTestConnection c = proxy.connect()) {
            List<?> page = (List<?>) c.call("SCAN", "0");
            assertEquals("0", text(page.get(0)));
            assertEquals(List.of(), page.get(1));
        }
    }

    @Test
    void randomkeyFindsTheOneKeyWhicheverMasterHoldsIt() {
        try (RedisTestConnection c = proxy.connect()) {
            c.call("SET", "only", "v");
            for (int i = 0; i < 10; i++) {
                assertEquals("only", text(c.call("RANDOMKEY")), "try " + i);
            }
        }
    }

    @Test
    void keysDbsizeAndRandomkeyCoverTheWholeCluster() {
        try (RedisTestConnection c = proxy.connect()) {
            assertNull(c.call("RANDOMKEY"));
            assertEquals(List.of(), c.call("KEYS", "*"));
            createKeys(c, "k:", 300);
            assertEquals(300L, c.call("DBSIZE"));
            List<?> keys = (List<?>) c.call("KEYS", "k:*");
            Set<String> unique = new HashSet<>();
            keys.forEach(k -> unique.add(text(k)));
            assertEquals(300, keys.size());
            assertEquals(300, unique.size());
            assertEquals(10, ((List<?>) c.call("KEYS", "k:1?")).size(), "k:10..k:19");
            assertTrue(text(c.call("RANDOMKEY")).startsWith("k:"));
            assertEquals("OK", c.call("FLUSHDB", "ASYNC"));
            assertEquals(0L, c.call("DBSIZE"));
        }
    }

    @Test
    void scriptsAreLoadedOnEveryMaster() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("SCRIPT", "FLUSH"));
            String sha = text(c.call("SCRIPT", "LOAD", "return redis.call('SET', KEYS[1], ARGV[1])"));
            assertEquals(40, sha.length());
            assertEquals(List.of(1L, 0L), c.call("SCRIPT", "EXISTS", sha, "0".repeat(40)));
            for (int i = 0; i < 30; i++) { // keys in many slots, so on every master
                assertEquals("OK", c.call("EVALSHA", sha, "1", "script:" + i, "v" + i));
                assertEquals("v" + i, text(c.call("GET", "script:" + i)));
            }
            assertEquals("OK", c.call("SCRIPT", "FLUSH", "SYNC"));
            assertEquals(List.of(0L), c.call("SCRIPT", "EXISTS", sha));
            String error = ((RedisErrorReply) c.callRaw("EVALSHA", sha, "1", "script:0", "x")).message();
            assertTrue(error.startsWith("NOSCRIPT"), error);
        }
    }

    @Test
    void scriptExistsOnlyWhereItExistsOnEveryMaster() {
        try (RedisTestConnection c = proxy.connect()) {
            String sha = text(c.call("SCRIPT", "LOAD", "return 7"));
            try (RedisTestConnection one = cluster.connect(cluster.masterPorts().get(0))) {
                assertEquals("OK", one.call("SCRIPT", "FLUSH"));
            }
            assertEquals(List.of(0L), c.call("SCRIPT", "EXISTS", sha));
        }
    }

    @Test
    void functionsAreLoadedOnEveryMaster() {
        String library = "#!lua name=proxylib\nredis.register_function('proxy_echo', function(keys, args) "
                + "return args[1] end)";
        try (RedisTestConnection c = proxy.connect()) {
            c.callRaw("FUNCTION", "DELETE", "proxylib");
            assertEquals("proxylib", text(c.call("FUNCTION", "LOAD", library)));
            String again = ((RedisErrorReply) c.callRaw("FUNCTION", "LOAD", library)).message();
            assertTrue(again.contains("already exists"), again);
            assertFalse(((List<?>) c.call("FUNCTION", "LIST", "LIBRARYNAME", "proxylib")).isEmpty());
            for (int i = 0; i < 20; i++) {
                assertEquals("hi" + i, text(c.call("FCALL", "proxy_echo", "1", "fn:" + i, "hi" + i)));
            }
            assertEquals("OK", c.call("FUNCTION", "DELETE", "proxylib"));
            assertEquals(List.of(), c.call("FUNCTION", "LIST", "LIBRARYNAME", "proxylib"));
            assertEquals("OK", c.call("FUNCTION", "FLUSH"));
        }
    }

    @Test
    void infoHasTheProxysSectionsAndTheClustersKeyspace() {
        try (RedisTestConnection c = proxy.connect()) {
            createKeys(c, "info:", 120);
            String all = text(c.call("INFO"));
            for (String part : List.of("# Server\r\n", "# Clients\r\n", "# Proxy\r\n", "# Cluster\r\n",
                    "# Keyspace\r\n", "db0:keys=120,expires=0,", "cluster_masters:3\r\n",
                    "cluster_slots_covered:16384\r\n", "event_loops:2\r\n")) {
                assertTrue(all.contains(part), part + " in\n" + all);
            }
            assertTrue(all.matches("(?s).*connected_clients:[1-9].*"), all);
            assertFalse(all.replace("\r\n", "").contains("\n"), "CRLF line endings");
            String keyspace = text(c.call("INFO", "keyspace"));
            assertTrue(keyspace.startsWith("# Keyspace\r\ndb0:keys=120,"), keyspace);
            String proxySection = text(c.call("INFO", "proxy"));
            assertTrue(proxySection.startsWith("# Proxy\r\n"), proxySection);
            assertFalse(proxySection.contains("# Keyspace"));
            assertEquals("# Cluster\r\ncluster_enabled:0\r\n", text(c.call("INFO", "cluster")));
            assertTrue(proxySection.contains("cluster_slot_map_epoch:"), proxySection);
            assertTrue(text(c.call("INFO", "server")).contains("uptime_in_seconds:"));
            assertTrue(text(c.call("INFO", "clients")).contains("connected_clients:"));
            assertEquals("", text(c.call("INFO", "nosuchsection")));
        }
    }

    @Test
    void timeAndConfigGetComeFromOneMaster() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals(2, ((List<?>) c.call("TIME")).size());
            assertEquals(2, ((List<?>) c.call("CONFIG", "GET", "maxmemory")).size());
        }
    }
}
