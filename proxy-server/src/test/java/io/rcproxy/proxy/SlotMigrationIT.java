package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A slot moves between masters (IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE) while a client reads and
 * writes it through the proxy: the client sees neither ASK nor MOVED, and never a wrong value.
 */
@ExtendWith(RedisClusterExtension.class)
class SlotMigrationIT {

    private static final String TAG = "{migrating}";

    @Test
    void liveMigrationIsInvisibleToClients(@PrivateCluster(masters = 3) RedisClusterProcess cluster) throws Exception {
        int slot = SlotHash.slot(TAG.getBytes(StandardCharsets.UTF_8));
        int sourcePort = cluster.portOwningSlot(slot);
        int targetPort = cluster.masterPorts().stream().filter(p -> p != sourcePort).findFirst().orElseThrow();
        String sourceId = cluster.nodeId(sourcePort);
        String targetId = cluster.nodeId(targetPort);

        try (RunningProxy proxy = RunningProxy.start(cluster)) {
            try (RedisTestConnection c = proxy.connect()) {
                for (int i = 0; i < 300; i++) {
                    assertEquals("OK", c.call("SET", TAG + i, "v" + i));
                }
            }
            AtomicBoolean migrating = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            AtomicInteger operations = new AtomicInteger();
            Thread client = new Thread(() -> {
                try (RedisTestConnection c = proxy.connect()) {
                    int round = 0;
                    while (migrating.get() || round < 2) {
                        for (int i = 0; i < 300 && problems.size() < 10; i++) {
                            Object write = c.callRaw("SET", TAG + i, "v" + i + "-" + round);
                            if (!"OK".equals(write)) {
                                problems.add("SET " + i + " -> " + write);
                            }
                            Object read = c.callRaw("GET", TAG + i);
                            String expected = "v" + i + "-" + round;
                            if (!(read instanceof byte[] b) || !expected.equals(new String(b, StandardCharsets.UTF_8))) {
                                problems.add("GET " + i + " -> " + describe(read) + ", expected " + expected);
                            }
                            operations.addAndGet(2);
                        }
                        round++;
                    }
                } catch (RuntimeException e) {
                    problems.add("client failed: " + e);
                }
            });
            client.start();

            try (RedisTestConnection source = cluster.connect(sourcePort);
                 RedisTestConnection target = cluster.connect(targetPort)) {
                assertEquals("OK", target.call("CLUSTER", "SETSLOT", String.valueOf(slot), "IMPORTING", sourceId));
                assertEquals("OK", source.call("CLUSTER", "SETSLOT", String.valueOf(slot), "MIGRATING", targetId));
                while (true) {
                    List<?> keys = (List<?>) source.call("CLUSTER", "GETKEYSINSLOT", String.valueOf(slot), "20");
                    if (keys.isEmpty()) {
                        break;
                    }
                    List<byte[]> migrate = new ArrayList<>();
                    for (String part : new String[] {"MIGRATE", "127.0.0.1", String.valueOf(targetPort), "", "0",
                            "5000", "KEYS"}) {
                        migrate.add(part.getBytes(StandardCharsets.UTF_8));
                    }
                    for (Object key : keys) {
                        migrate.add((byte[]) key);
                    }
                    source.call(migrate.toArray(new byte[0][]));
                    Thread.sleep(20); // let the client run into ASK redirects mid-migration
                }
                for (int port : cluster.masterPorts()) {
                    try (RedisTestConnection node = cluster.connect(port)) {
                        node.call("CLUSTER", "SETSLOT", String.valueOf(slot), "NODE", targetId);
                    }
                }
            } finally {
                migrating.set(false);
            }
            client.join(60_000);
            assertTrue(problems.isEmpty(), "client saw: " + problems);
            assertTrue(operations.get() > 1000, "client made progress: " + operations.get());
            assertEquals(targetPort, cluster.portOwningSlot(slot));
        }
    }

    private static String describe(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
