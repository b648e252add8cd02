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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CLUSTERDOWN is retried over the retry window, not a count: a cluster that is down for a second (here by
 * taking one slot away from every master, which fails the whole cluster under Redis's default
 * {@code cluster-require-full-coverage yes}) costs the
 * client a wait and no error; one that stays down longer than the window gives the client Redis's error.
 */
@ExtendWith(RedisClusterExtension.class)
class ClusterDownRetryIT {

    /** The first slot the master on {@code port} owns. */
    private static int slotOf(RedisClusterProcess cluster, int port) {
        for (int slot = 0; ; slot++) {
            if (cluster.portOwningSlot(slot) == port) {
                return slot;
            }
        }
    }

    private static String keyOn(RedisClusterProcess cluster, int port) {
        for (int i = 0; ; i++) {
            String key = "up:" + i;
            if (cluster.portOwningSlot(SlotHash.slot(key.getBytes(StandardCharsets.UTF_8))) == port) {
                return key;
            }
        }
    }

    /**
     * Takes {@code slot} from every master's view, so each reports the cluster down. The owner goes first:
     * while it still claims the slot, its pings would give the slot back to any peer that dropped it.
     */
    private static void takeSlotAway(RedisClusterProcess cluster, int owner, int slot) throws InterruptedException {
        List<Integer> order = new ArrayList<>(cluster.masterPorts());
        order.remove(Integer.valueOf(owner));
        order.add(0, owner);
        FailoverIT.requireFullCoverage(cluster);
        for (int port : order) {
            try (RedisTestConnection c = cluster.connect(port)) {
                c.call("CLUSTER", "DELSLOTS", Integer.toString(slot));
            }
        }
        for (int port : cluster.masterPorts()) {
            FailoverIT.await(() -> {
                try (RedisTestConnection c = cluster.connect(port)) {
                    return c.callText("CLUSTER", "INFO").contains("cluster_state:fail");
                }
            }, 10, "node " + port + " to report the cluster down");
        }
    }

    private static void giveSlotBack(RedisClusterProcess cluster, int owner, int slot) {
        try (RedisTestConnection c = cluster.connect(owner)) {
            c.call("CLUSTER", "ADDSLOTS", Integer.toString(slot));
        }
    }

    @Test
    void aClusterDownShorterThanTheWindowCostsAWaitAndNoError(@PrivateCluster(masters = 3) RedisClusterProcess cluster)
            throws Exception {
        int owner = cluster.masterPorts().get(1);
        int slot = slotOf(cluster, owner);
        String key = keyOn(cluster, cluster.masterPorts().get(0));
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.cluster.retry-window", "4s"));
             RedisTestConnection c = proxy.connect()) {
            takeSlotAway(cluster, owner, slot);
            CompletableFuture<Void> back = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                giveSlotBack(cluster, owner, slot);
            });
            long start = System.nanoTime();
            assertEquals("OK", c.callText("SET", key, "v"), "retried until the cluster was up again");
            long waited = FailoverIT.millis(System.nanoTime() - start);
            back.get();
            System.out.printf("cluster down for ~1 s: the command waited %d ms and succeeded%n", waited);
            assertTrue(waited >= 500, "the command did wait for the cluster: " + waited + " ms");
        }
    }

    @Test
    void aClusterDownLongerThanTheWindowReachesTheClient(@PrivateCluster(masters = 3) RedisClusterProcess cluster)
            throws Exception {
        int owner = cluster.masterPorts().get(1);
        int slot = slotOf(cluster, owner);
        String key = keyOn(cluster, cluster.masterPorts().get(0));
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.cluster.retry-window", "300ms"));
             RedisTestConnection c = proxy.connect()) {
            takeSlotAway(cluster, owner, slot);
            long start = System.nanoTime();
            RedisErrorReply error = assertInstanceOf(RedisErrorReply.class, c.callRaw("SET", key, "v"));
            long waited = FailoverIT.millis(System.nanoTime() - start);
            assertTrue(error.message().startsWith("CLUSTERDOWN"), error.message());
            assertTrue(waited >= 250 && waited < 3000, "the error came after the window: " + waited + " ms");
            giveSlotBack(cluster, owner, slot);
        }
    }
}
