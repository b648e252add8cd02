package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ROLE, TIME, LASTSAVE, SLOWLOG, LATENCY and MEMORY STATS/DOCTOR merged over the masters. */
@ExtendWith(RedisClusterExtension.class)
class IntrospectionIT {

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

    @Test
    void roleIsOneMasterWithoutReplicas() {
        try (RedisTestConnection c = proxy.connect()) {
            List<?> role = (List<?>) c.call("ROLE");
            assertEquals("master", text(role.get(0)));
            assertInstanceOf(Long.class, role.get(1));
            assertEquals(List.of(), role.get(2));
            assertEquals(2, ((List<?>) c.call("TIME")).size());
            long lastsave = (Long) c.call("LASTSAVE");
            for (int port : cluster.masterPorts()) {
                try (RedisTestConnection node = cluster.connect(port)) {
                    assertTrue(lastsave <= (Long) node.call("LASTSAVE"), "the oldest master's");
                }
            }
        }
    }

    @Test
    void slowlogMergesEveryMastersEntriesNewestFirst() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("CONFIG", "SET", "slowlog-log-slower-than", "0"));
            try {
                assertEquals("OK", c.call("SLOWLOG", "RESET"));
                for (int i = 0; i < 30; i++) {
                    c.call("SET", "slow:" + i, "v");
                }
                assertTrue((Long) c.call("SLOWLOG", "LEN") >= 30);
                List<?> entries = (List<?>) c.call("SLOWLOG", "GET", "20");
                assertEquals(20, entries.size());
                long previous = Long.MAX_VALUE;
                Set<String> nodes = new HashSet<>();
                for (Object entry : entries) {
                    List<?> fields = (List<?>) entry;
                    long time = (Long) fields.get(1);
                    assertTrue(time <= previous, "newest first");
                    previous = time;
                    nodes.add(text(fields.get(5)));
                }
                assertTrue(nodes.size() > 1, "entries from several masters, each named: " + nodes);
                assertTrue(nodes.stream().allMatch(n -> n.startsWith("127.0.0.1:")), nodes.toString());
                assertEquals(10, ((List<?>) c.call("SLOWLOG", "GET")).size(), "10 by default");
            } finally {
                c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
                c.call("SLOWLOG", "RESET");
            }
        }
    }

    @Test
    void latencyAndMemoryReportsCoverEveryMaster() {
        try (RedisTestConnection c = proxy.connect()) {
            for (int i = 0; i < 20; i++) {
                c.call("SET", "mem:" + i, "v");
            }
            assertInstanceOf(List.class, c.call("LATENCY", "LATEST"));
            assertInstanceOf(List.class, c.call("LATENCY", "HISTORY", "command"));
            List<?> histogram = (List<?>) c.call("LATENCY", "HISTOGRAM", "set");
            assertEquals("set", text(histogram.get(0)));
            long calls = (Long) ((List<?>) histogram.get(1)).get(1);
            assertTrue(calls >= 20, "calls summed over the masters: " + calls);
            List<?> stats = (List<?>) c.call("MEMORY", "STATS");
            long keys = (Long) stats.get(stats.indexOf(stats.stream()
                    .filter(e -> "keys.count".equals(text(e))).findFirst().orElseThrow()) + 1);
            assertEquals((Long) c.call("DBSIZE"), keys);
            String doctor = c.callText("MEMORY", "DOCTOR");
            assertEquals(cluster.masterPorts().size(), doctor.split("# 127\\.0\\.0\\.1:").length - 1, doctor);
            assertTrue(c.callText("LATENCY", "DOCTOR").startsWith("# 127.0.0.1:"));
        }
    }

    @Test
    void scriptKillReachesAMasterBusyWithAScriptOnTheSharedConnection() throws Exception {
        try (RedisTestConnection admin = proxy.connect(); RedisTestConnection looping = proxy.connect()) {
            assertEquals("OK", admin.call("CONFIG", "SET", "busy-reply-threshold", "100"));
            try {
                looping.sendRaw(RedisTestConnection.command("EVAL", "while true do end", "0"));
                Thread.sleep(300); // past the threshold: the master answers BUSY and takes SCRIPT KILL
                assertEquals("OK", admin.call("SCRIPT", "KILL"));
                assertTrue(PinnedTesting.error(looping.readReply()).contains("Script killed by user"));
                assertEquals("PONG", looping.call("PING"));
            } finally {
                admin.call("CONFIG", "SET", "busy-reply-threshold", "5000");
            }
        }
    }
}
