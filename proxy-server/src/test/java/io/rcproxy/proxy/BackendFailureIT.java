package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A dead or silent master costs its own slots prompt errors, and nothing else. */
@ExtendWith(RedisClusterExtension.class)
class BackendFailureIT {

    /** A key owned by {@code port}. */
    private static String keyOn(RedisClusterProcess cluster, int port, String prefix) {
        for (int i = 0; ; i++) {
            String key = prefix + i;
            if (cluster.portOwningSlot(SlotHash.slot(key.getBytes(StandardCharsets.UTF_8))) == port) {
                return key;
            }
        }
    }

    @Test
    void killedMasterGivesPromptErrorsWhileOtherSlotsWork(@PrivateCluster(masters = 3) RedisClusterProcess cluster)
            throws Exception {
        int victim = cluster.masterPorts().get(0);
        int survivor = cluster.masterPorts().get(1);
        String deadKey = keyOn(cluster, victim, "dead:");
        String liveKey = keyOn(cluster, survivor, "live:");
        try (RunningProxy proxy = RunningProxy.start(cluster); RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("SET", deadKey, "1"));
            cluster.stopNode(victim);
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                Object reply = c.callRaw("GET", deadKey);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                RedisErrorReply error = assertInstanceOf(RedisErrorReply.class, reply, "reply #" + i);
                assertTrue(error.message().startsWith("ERR") || error.message().startsWith("CLUSTERDOWN"),
                        error.message());
                assertTrue(millis < 1500, "error took " + millis + " ms");
                assertEquals("OK", c.call("SET", liveKey, "v" + i), "other slots keep working");
            }
            cluster.restartNode(victim);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Object reply;
            do {
                Thread.sleep(100);
                reply = c.callRaw("SET", deadKey, "back");
            } while (!"OK".equals(reply) && System.nanoTime() < deadline);
            assertEquals("OK", reply, "the proxy reconnects once the master is back");
        }
    }

    @Test
    void silentMasterTimesOutWithinTheCommandTimeout(RedisClusterProcess cluster) throws Exception {
        int paused = cluster.masterPorts().get(2);
        int other = cluster.masterPorts().get(3);
        String slowKey = keyOn(cluster, paused, "slow:");
        String fastKey = keyOn(cluster, other, "fast:");
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.cluster.command-timeout", "400ms"));
             RedisTestConnection slow = proxy.connect();
             RedisTestConnection fast = proxy.connect()) {
            assertEquals("OK", slow.call("SET", slowKey, "1"));
            try (RedisTestConnection direct = cluster.connect(paused)) {
                direct.call("CLIENT", "PAUSE", "1500", "ALL");
            }
            long start = System.nanoTime();
            RedisErrorReply error = assertInstanceOf(RedisErrorReply.class, slow.callRaw("GET", slowKey));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(error.message().contains("timed out"), error.message());
            assertTrue(millis < 1400, "timeout took " + millis + " ms");
            assertEquals("OK", fast.call("SET", fastKey, "ok"), "other masters are unaffected");
            Thread.sleep(Math.max(0, 1600 - millis));
            assertEquals("1", new String((byte[]) slow.call("GET", slowKey), StandardCharsets.UTF_8));
        }
    }
}
