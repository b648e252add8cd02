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
                target.start(Operation.MIXED, keys, window);
                RunResult result = window.measure("client", Operation.MIXED, Duration.ofMillis(100),
                        Duration.ofMillis(300), Duration.ofSeconds(5));
                assertEquals(0, result.errors(), api + ": " + result.firstError());
                assertTrue(result.replies() > 0, api + ": no replies");
                assertTrue(result.p50Micros() > 0 && result.p50Micros() <= result.p99Micros(), result.toString());
            }
        }
    }
}
