package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import io.rcproxy.cluster.testkit.SlotRange;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Master failures as production has them, on a 5-master cluster with one replica each and
 * {@code cluster-node-timeout 2000}: a master killed with SIGKILL under load, and a manual failover under
 * load. The client must never see CLUSTERDOWN for a healthy master's slots, the dead master's slots must
 * serve again soon after its replica is promoted, and readiness must come back without the dead node.
 * The figures measured are printed for the record.
 */
@ExtendWith(RedisClusterExtension.class)
class FailoverIT {

    private static final int KEYS = 2000;

    @Test
    void killedMasterUnderLoad(@PrivateCluster(masters = 5, replicas = 1) RedisClusterProcess cluster)
            throws Exception {
        int victim = cluster.masterPorts().get(2);
        int replica = cluster.replicaPortsOf(victim).get(0);
        boolean[] victimSlots = slotsOf(cluster, victim);
        requireFullCoverage(cluster); // Redis's default: the cluster is down from failure until promotion
        try (RunningProxy proxy = RunningProxy.start(cluster)) {
            awaitReady(proxy, 10);
            ClusterLoad load = ClusterLoad.start(proxy.port(), 4, KEYS, Duration.ofSeconds(60));
            long killedAt;
            long promotedAt;
            try {
                awaitCompleted(load, 2000);
                killedAt = System.nanoTime();
                cluster.killNode(victim);
                promotedAt = awaitMaster(cluster, replica, 20);
                long readyAt = awaitReady(proxy, 15);
                System.out.printf("killed master: promoted after %d ms, proxy ready %d ms after promotion%n",
                        millis(promotedAt - killedAt), millis(readyAt - promotedAt));
                Thread.sleep(3000); // load on the new topology
            } finally {
                load.close();
            }

            List<ClusterLoad.Failure> failures = load.failures();
            int victimErrors = 0;
            long lastVictimError = 0;
            for (ClusterLoad.Failure failure : failures) {
                if (victimSlots[failure.slot()]) {
                    victimErrors++;
                    lastVictimError = failure.atNanos();
                } else {
                    fail("a healthy master's slot " + failure.slot() + " saw an error "
                            + millis(failure.atNanos() - killedAt) + " ms after the kill: " + failure.message());
                }
            }
            double clusterDownRetried = AdminHttp.metric(proxy.metricsPort(), "redis_proxy_redirections_total",
                    Map.of("kind", "clusterdown"));
            System.out.printf("killed master: %d commands, %d errors, all for the dead master's slots; "
                            + "last error %d ms after the kill, %d ms after promotion; %.0f CLUSTERDOWN replies "
                            + "retried inside the window%n", load.completed(), victimErrors,
                    millis(lastVictimError - killedAt), lastVictimError == 0 ? 0 : millis(lastVictimError - promotedAt),
                    clusterDownRetried);
            assertTrue(lastVictimError - promotedAt < TimeUnit.MILLISECONDS.toNanos(1500),
                    "errors for the dead master's slots went on " + millis(lastVictimError - promotedAt)
                            + " ms after promotion");

            try (RedisTestConnection c = proxy.connect()) {
                long dbsize = (Long) c.call("DBSIZE");
                assertEquals(dbsize, scanAll(c).size(), "SCAN walks every master, the dead one left out");
                assertTrue(dbsize > KEYS / 2, "DBSIZE counts the keys the load wrote: " + dbsize);
                assertEquals("OK", c.callText("FLUSHALL"));
                assertEquals(0L, c.call("DBSIZE"));
            }
        }
    }

    @Test
    void manualFailoverUnderLoadCostsNoErrors(@PrivateCluster(masters = 5, replicas = 1) RedisClusterProcess cluster)
            throws Exception {
        int master = cluster.masterPorts().get(1);
        int replica = cluster.replicaPortsOf(master).get(0);
        try (RunningProxy proxy = RunningProxy.start(cluster)) {
            awaitReady(proxy, 10);
            ClusterLoad load = ClusterLoad.start(proxy.port(), 4, KEYS, Duration.ofSeconds(60));
            try {
                awaitCompleted(load, 2000);
                try (RedisTestConnection c = cluster.connect(replica)) {
                    assertEquals("OK", c.callText("CLUSTER", "FAILOVER"));
                }
                long started = System.nanoTime();
                long promotedAt = awaitMaster(cluster, replica, 20);
                System.out.printf("manual failover: promoted after %d ms%n", millis(promotedAt - started));
                long before = load.completed();
                awaitCompleted(load, before + 2000); // traffic reaches the new master's slots too
                Thread.sleep(1000);
            } finally {
                load.close();
            }
            System.out.printf("manual failover: %d commands, %d errors%n", load.completed(), load.failures().size());
            assertEquals(List.of(), load.failures(), "a manual failover is invisible to clients");
            awaitReady(proxy, 10);
        }
    }

    /**
     * Sets Redis's default {@code cluster-require-full-coverage yes} on every node (the test kit runs with
     * {@code no}): a node then answers CLUSTERDOWN while any slot has no live owner, as in production.
     */
    static void requireFullCoverage(RedisClusterProcess cluster) {
        for (int port : cluster.allPorts()) {
            try (RedisTestConnection c = cluster.connect(port)) {
                c.call("CONFIG", "SET", "cluster-require-full-coverage", "yes");
            }
        }
    }

    /** Slots the master on {@code port} owns now. */
    private static boolean[] slotsOf(RedisClusterProcess cluster, int port) {
        boolean[] owned = new boolean[RedisClusterProcess.SLOTS];
        for (SlotRange range : cluster.slotRanges()) {
            if (range.masterPort() == port) {
                for (int slot = range.start(); slot <= range.end(); slot++) {
                    owned[slot] = true;
                }
            }
        }
        return owned;
    }

    static Set<String> scanAll(RedisTestConnection c) {
        Set<String> keys = new HashSet<>();
        String cursor = "0";
        int rounds = 0;
        do {
            List<?> reply = (List<?>) c.call("SCAN", cursor, "COUNT", "500");
            cursor = new String((byte[]) reply.get(0), java.nio.charset.StandardCharsets.UTF_8);
            for (Object key : (List<?>) reply.get(1)) {
                keys.add(new String((byte[]) key, java.nio.charset.StandardCharsets.UTF_8));
            }
            assertTrue(++rounds < 10_000, "SCAN never finished");
        } while (!cursor.equals("0"));
        return keys;
    }

    /** Waits until the load has completed {@code count} commands in all. */
    private static void awaitCompleted(ClusterLoad load, long count) throws InterruptedException {
        await(() -> load.completed() >= count, 30, "the load to complete " + count + " commands");
    }

    /** Waits until the node on {@code port} reports itself a master; returns when it was seen. */
    static long awaitMaster(RedisClusterProcess cluster, int port, long seconds) throws InterruptedException {
        await(() -> {
            try (RedisTestConnection c = cluster.connect(port)) {
                return c.callText("INFO", "replication").contains("role:master");
            }
        }, seconds, "node " + port + " to be promoted");
        return System.nanoTime();
    }

    /** Waits until /health/ready answers 200; returns when it did. */
    static long awaitReady(RunningProxy proxy, long seconds) throws InterruptedException {
        int port = proxy.metricsPort();
        AdminHttp.Response[] last = new AdminHttp.Response[1];
        await(() -> (last[0] = AdminHttp.get(port, "/health/ready")).status() == 200, seconds,
                () -> "readiness (last answer: " + last[0].body() + ")");
        return System.nanoTime();
    }

    static void await(BooleanSupplier condition, long seconds, String what) throws InterruptedException {
        await(condition, seconds, () -> what);
    }

    static void await(BooleanSupplier condition, long seconds, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + seconds + " s waiting for " + what.get());
            }
            Thread.sleep(20);
        }
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
