package io.rcproxy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.topology.HostAndPort;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bench's RESP client and a short client-target run against a real cluster. */
@ExtendWith(RedisClusterExtension.class)
class RespConnectionIT {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pipelinedRepliesAreReadInOrderWithErrorsSurfaced(RedisClusterProcess cluster) throws Exception {
        byte[] key = bytes("bench:resp:it");
        int owner = cluster.portOwningSlot(SlotHash.slot(key));
        int other = cluster.masterPorts().stream().filter(p -> p != owner).findFirst().orElseThrow();
        try (RespConnection c = new RespConnection(RedisClusterProcess.HOST, owner, 2000)) {
            c.append(bytes("SET"), key, bytes("v".repeat(700)));
            c.append(bytes("GET"), key);
            c.append(bytes("GET"), bytes("bench:resp:it:missing{" + new String(key, StandardCharsets.UTF_8) + "}"));
            c.append(bytes("NOSUCHCOMMAND"));
            c.append(bytes("CLUSTER"), bytes("SLOTS"));
            c.flush();
            assertNull(c.readReply());
            assertNull(c.readReply());
            assertEquals(700, c.lastBulkLength());
            c.readReply();
            String unknown = c.readReply();
            assertTrue(unknown != null && unknown.startsWith("ERR unknown command"), unknown);
            assertNull(c.readReply(), "a nested array reply is skipped whole");
        }
        try (RespConnection c = new RespConnection(RedisClusterProcess.HOST, other, 2000)) {
            c.append(bytes("GET"), key);
            c.flush();
            String moved = c.readReply();
            assertTrue(moved != null && moved.startsWith("MOVED "), moved);
        }
    }

    @Test
    void aShortClientRunCountsRepliesAndNoErrors(RedisClusterProcess cluster) throws Exception {
        List<HostAndPort> seeds = List.of(HostAndPort.parse(cluster.seeds().get(0)));
        KeySpace keys = new KeySpace(200, 24, 32);
        for (BenchOptions.ClientApi api : BenchOptions.ClientApi.values()) {
            try (ClientTarget target = new ClientTarget(seeds, 2, api)) {
                target.preload(keys);
                LoadWindow window = new LoadWindow(4, 1_000_000);
                target.start(Operation.MIXED, keys, window, 1);
                RunResult result = window.measure("client", Operation.MIXED, 1, Duration.ofMillis(100),
                        Duration.ofMillis(300), Duration.ofSeconds(5));
                assertEquals(0, result.errors(), api + ": " + result.firstError());
                assertTrue(result.replies() > 0, api + ": no replies");
                assertTrue(result.p50Micros() > 0 && result.p50Micros() <= result.p99Micros(), result.toString());
            }
        }
    }

    @Test
    void idleClientsConnectAndShowUpOnTheServer(RedisClusterProcess cluster) throws Exception {
        int port = cluster.masterPorts().get(0);
        try (var direct = cluster.connect(port)) {
            int before = clientCount(direct.callText("CLIENT", "LIST"));
            try (IdleClients idle = new IdleClients(new HostAndPort("127.0.0.1", port), 20)) {
                assertEquals(20, idle.size());
                assertTrue(clientCount(direct.callText("CLIENT", "LIST")) >= before + 20);
            }
        }
    }

    private static int clientCount(String clientList) {
        return (int) clientList.lines().filter(l -> l.startsWith("id=")).count();
    }

    @Test
    void aShortProxyStyleRunAgainstOneNodeCountsReplies(RedisClusterProcess cluster) throws Exception {
        // The async RESP target, pointed at a single master with keys hashing anywhere: errors are MOVED
        // replies, counted, never hidden; replies keep flowing.
        int port = cluster.masterPorts().get(0);
        RespTarget target = new RespTarget("single", new HostAndPort("127.0.0.1", port), 2000, false, false);
        KeySpace keys = new KeySpace(100, 16, 16);
        LoadWindow window = new LoadWindow(4, 200);
        try (target) {
            target.start(Operation.GET, keys, window, 1);
            RunResult result = window.measure("single", Operation.GET, 1, Duration.ZERO, Duration.ofMillis(300),
                    Duration.ofSeconds(3));
            assertTrue(result.errors() > 0, "MOVED replies must be counted as errors");
        }
    }

    @Test
    void aRespThreeRunSaysHelloFirstAndCountsRepliesTheSameWay(RedisClusterProcess cluster) throws Exception {
        int port = cluster.masterPorts().get(0);
        RespTarget target = new RespTarget("proxy3", new HostAndPort("127.0.0.1", port), 2000, false, true);
        KeySpace keys = new KeySpace(100, 16, 16);
        LoadWindow window = new LoadWindow(2, 200);
        try (target) {
            target.start(Operation.GET, keys, window, 4);
            RunResult result = window.measure("proxy3", Operation.GET, 4, Duration.ZERO, Duration.ofMillis(300),
                    Duration.ofSeconds(3));
            assertTrue(result.errors() > 0, "MOVED (and nil) replies after HELLO 3 are still counted");
            assertTrue(result.errors() + result.replies() > 8, "replies kept flowing after HELLO 3");
            assertTrue(result.firstError() == null || !result.firstError().startsWith("HELLO"), result.firstError());
        }
    }
}
