package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.backendClients;
import static io.rcproxy.proxy.PinnedTesting.eventually;
import static io.rcproxy.proxy.PinnedTesting.masterOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MONITOR through the proxy: every master's feed, in Redis's line format, in time order, until the client leaves. */
@ExtendWith(RedisClusterExtension.class)
class MonitorIT {

    private static final Pattern LINE = Pattern.compile("^(\\d+\\.\\d{6}) \\[0 [^\\]]+\\] \"SET\" \"(mon:[0-9]+)\" \"v\"$");
    private static RunningProxy proxy;
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void start(RedisClusterProcess c) {
        cluster = c;
        proxy = RunningProxy.start(c);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void monitorStreamsEveryMastersCommandsInTimeOrderUntilTheClientLeaves() throws Exception {
        Set<Integer> masters = new HashSet<>();
        Set<String> seen = new HashSet<>();
        try (RedisTestConnection monitor = proxy.connect(); RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", monitor.call("MONITOR"));
            for (int i = 0; i < 30; i++) {
                c.call("SET", "mon:" + i, "v");
                masters.add(masterOf(cluster, "mon:" + i));
            }
            assertEquals(cluster.masterPorts().size(), masters.size(), "keys on every master");
            double last = 0;
            while (seen.size() < 30) {
                String line = String.valueOf(monitor.readReply());
                Matcher m = LINE.matcher(line);
                if (!m.matches()) {
                    continue; // the proxy's own commands (topology checks) may show up too
                }
                double time = Double.parseDouble(m.group(1));
                assertTrue(time >= last, "in time order: " + line);
                last = time;
                assertTrue(seen.add(m.group(2)), "each command once: " + line);
            }
            assertTrue(backendClients(cluster, cluster.masterPorts().get(0), l -> l.contains("cmd=monitor")) >= 1);
        }
        for (int port : cluster.masterPorts()) {
            assertTrue(eventually(() -> backendClients(cluster, port, l -> l.contains("cmd=monitor")) == 0, 5000),
                    "the feed from " + port + " stopped when the client left");
        }
    }

    @Test
    void resetEndsMonitoring() throws Exception {
        try (RedisTestConnection monitor = proxy.connect()) {
            assertEquals("OK", monitor.call("MONITOR"));
            monitor.sendRaw(RedisTestConnection.command("RESET"));
            int lines = 0;
            while (!"RESET".equals(String.valueOf(monitor.readReply()))) {
                assertTrue(++lines < 1000, "RESET answered"); // feed lines that came first
            }
            assertEquals("PONG", monitor.call("PING"), "no feed after RESET");
            for (int port : cluster.masterPorts()) {
                assertTrue(eventually(() -> backendClients(cluster, port, l -> l.contains("cmd=monitor")) == 0, 5000));
            }
        }
    }
}
