package io.rcproxy.proxy;

import static io.rcproxy.proxy.AdminHttp.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** After real traffic, /metrics reports every family with values that match what the clients did. */
@ExtendWith(RedisClusterExtension.class)
class MetricsIT {

    private static final int N = 40;

    @Test
    void everyMetricFamilyReflectsTheTraffic(RedisClusterProcess cluster) throws Exception {
        try (RunningProxy proxy = RunningProxy.start(cluster); RedisTestConnection c = proxy.connect()) {
            for (int i = 0; i < N; i++) {
                assertEquals("OK", c.call("SET", "metrics:" + i, "v" + i));
                assertEquals("v" + i, new String((byte[]) c.call("GET", "metrics:" + i), StandardCharsets.UTF_8));
            }
            assertInstanceOf(RedisErrorReply.class, c.callRaw("INCR", "metrics:0")); // Redis's own error
            assertInstanceOf(RedisErrorReply.class, c.callRaw("NOSUCHCOMMAND", "x")); // the proxy's error
            assertInstanceOf(RedisErrorReply.class, c.callRaw("MSETNX", "a", "1", "b", "2")); // CROSSSLOT
            assertEquals("PONG", c.call("PING"));
            try (RedisTestConnection bad = proxy.connect()) {
                bad.sendRaw("*abc\r\n".getBytes(StandardCharsets.US_ASCII));
                assertInstanceOf(RedisErrorReply.class, bad.readReply());
                assertTrue(bad.isClosedByPeer());
            }

            AdminHttp.Response response = AdminHttp.get(proxy.metricsPort(), "/metrics");
            assertEquals(200, response.status());
            List<AdminHttp.Sample> m = AdminHttp.parse(response.body());

            assertTrue(value(m, "redis_proxy_commands_total", Map.of("command", "get", "outcome", "ok")) >= N);
            assertTrue(value(m, "redis_proxy_commands_total", Map.of("command", "set", "outcome", "ok")) >= N);
            assertEquals(1, value(m, "redis_proxy_commands_total", Map.of("command", "incr", "outcome", "error")));
            assertEquals(1, value(m, "redis_proxy_commands_total", Map.of("command", "unknown", "outcome", "error")));
            assertEquals(1, value(m, "redis_proxy_commands_total", Map.of("command", "msetnx", "outcome", "error")));
            assertEquals(1, value(m, "redis_proxy_commands_total", Map.of("command", "ping", "outcome", "ok")));

            long getBuckets = m.stream().filter(s -> s.name().equals("redis_proxy_command_duration_seconds_bucket")
                    && "get".equals(s.labels().get("command"))).count();
            assertEquals(18, getBuckets, "50 µs to 10 s, and +Inf");
            assertTrue(value(m, "redis_proxy_command_duration_seconds_bucket",
                    Map.of("command", "get", "le", "+Inf")) >= N);
            assertTrue(value(m, "redis_proxy_command_duration_seconds_count", Map.of("command", "get")) >= N);
            assertTrue(value(m, "redis_proxy_command_duration_seconds_sum", Map.of("command", "get")) > 0);

            assertTrue(value(m, "redis_proxy_client_connections") >= 1);
            assertTrue(value(m, "redis_proxy_client_connections_total") >= 2);
            assertEquals(0, value(m, "redis_proxy_rejected_connections_total"));
            assertEquals(1, value(m, "redis_proxy_protocol_errors_total"));
            assertTrue(value(m, "redis_proxy_client_bytes_received_total") > 0);
            assertTrue(value(m, "redis_proxy_client_bytes_sent_total") > 0);
            assertTrue(value(m, "redis_proxy_inflight_requests") >= 0); // NaN when missing
            assertEquals(proxy.server().config().bufferMemory(), value(m, "redis_proxy_buffer_memory_limit_bytes"));
            assertTrue(value(m, "redis_proxy_buffer_memory_used_bytes") >= 0);

            for (int port : cluster.masterPorts()) {
                double active = value(m, "redis_proxy_backend_connections",
                        Map.of("node", "127.0.0.1:" + port, "state", "active"));
                assertTrue(active >= 1, "active connections to master " + port + ": " + active);
            }
            for (String kind : List.of("moved", "ask", "tryagain", "clusterdown")) {
                assertTrue(value(m, "redis_proxy_redirections_total", Map.of("kind", kind)) >= 0, kind);
            }
            assertTrue(value(m, "redis_proxy_topology_refreshes_total") >= 1);
            assertTrue(value(m, "redis_proxy_slot_map_epoch") >= 1);
            assertEquals(16384, value(m, "redis_proxy_covered_slots"));
            assertEquals(cluster.masterPorts().size(), value(m, "redis_proxy_cluster_masters"));
            assertTrue(m.stream().anyMatch(s -> s.name().startsWith("jvm_")), "JVM metrics");
            assertTrue(m.stream().anyMatch(s -> s.name().startsWith("process_")), "process metrics");
        }
    }

    @Test
    void refusedClientsAreCounted(RedisClusterProcess cluster) {
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.limits.max-clients", 1));
             RedisTestConnection first = proxy.connect()) {
            assertEquals("PONG", first.call("PING")); // counted before the second connects
            try (RedisTestConnection second = proxy.connect()) {
                assertInstanceOf(RedisErrorReply.class, second.readReply());
            }
            assertEquals(1, AdminHttp.metric(proxy.metricsPort(), "redis_proxy_rejected_connections_total",
                    Map.of()));
        }
    }

    @Test
    void twoProxiesInOneJvmKeepTheirOwnNumbers(RedisClusterProcess cluster) {
        try (RunningProxy one = RunningProxy.start(cluster); RunningProxy two = RunningProxy.start(cluster);
             RedisTestConnection c = one.connect()) {
            c.call("PING");
            Map<String, String> ping = Map.of("command", "ping", "outcome", "ok");
            assertEquals(1, AdminHttp.metric(one.metricsPort(), "redis_proxy_commands_total", ping));
            assertFalse(AdminHttp.metric(two.metricsPort(), "redis_proxy_commands_total", ping) > 0);
        }
    }
}
