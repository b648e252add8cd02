package io.rcproxy.proxy.tracking;

import static io.rcproxy.proxy.tracking.Frames.FLUSH3;
import static io.rcproxy.proxy.tracking.Frames.OK;
import static io.rcproxy.proxy.tracking.Frames.invalidate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.proxy.RunningProxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A master lost or failed over while clients track: every tracking client's cache is flushed with a null
 * invalidation, as Redis flushes on disconnect, and tracking works again on the new master.
 */
@ExtendWith(RedisClusterExtension.class)
class TrackingFailoverIT {

    private static final String KEY = "fo:key";

    @Test
    void aKilledMasterFlushesTheCaches(@PrivateCluster(masters = 3, replicas = 1) RedisClusterProcess cluster)
            throws Exception {
        int victim = masterOf(cluster, KEY);
        int replica = cluster.replicaPortsOf(victim).get(0);
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of());
             RawConnection reader = tracking(proxy); RawConnection other = tracking(proxy)) {
            reader.call("GET", KEY);
            cluster.killNode(victim);
            assertEquals(FLUSH3, reader.read(), "the reader's cache is flushed");
            assertEquals(FLUSH3, other.read(), "every tracking client's cache is flushed, reads or not");
            awaitMaster(cluster, replica);
            stillTracksAfterwards(reader, replica);
        }
    }

    @Test
    void aManualFailoverFlushesTheCaches(@PrivateCluster(masters = 3, replicas = 1) RedisClusterProcess cluster)
            throws Exception {
        int master = masterOf(cluster, KEY);
        int replica = cluster.replicaPortsOf(master).get(0);
        // No traffic here tells the proxy of the new topology, so its periodic refresh does. Until then the
        // link to the old master, now a replica, still reports the keys it gets through replication.
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.cluster.refresh-interval", "1s"));
             RawConnection reader = tracking(proxy)) {
            reader.call("GET", KEY);
            try (RawConnection c = new RawConnection(replica)) {
                assertEquals(OK, c.call("CLUSTER", "FAILOVER"));
            }
            assertEquals(FLUSH3, reader.read(), "the old master left the slot map: caches flushed");
            awaitMaster(cluster, replica);
            stillTracksAfterwards(reader, replica);
        }
    }

    /** After the failover, a key read through the proxy and changed on the new master is invalidated. */
    private static void stillTracksAfterwards(RawConnection reader, int newMaster) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (reader.call("GET", KEY).startsWith("-")) { // until the proxy routes the slot to the new master
            if (System.nanoTime() > deadline) {
                fail("the key's slot never served again");
            }
            Thread.sleep(100);
        }
        try (RawConnection master = new RawConnection(newMaster)) {
            String frame = null;
            for (int attempt = 0; attempt < 50; attempt++) {
                drain(reader);
                reader.call("GET", KEY);
                master.call("SET", KEY, "after-" + attempt);
                frame = reader.read();
                while (FLUSH3.equals(frame)) { // a read made while a link was still coming up is flushed
                    frame = reader.poll(1000);
                }
                if (invalidate(KEY).equals(frame)) {
                    return;
                }
                Thread.sleep(100);
            }
            fail("no invalidation from the new master; last frame: " + frame);
        }
    }

    private static void drain(RawConnection c) {
        while (c.poll(200) != null) {
            // flushes left from the failover
        }
    }

    private static RawConnection tracking(RunningProxy proxy) {
        RawConnection c = new RawConnection(proxy.port());
        assertTrue(c.call("HELLO", "3").startsWith("%7"));
        assertEquals(OK, c.call("CLIENT", "TRACKING", "ON"));
        return c;
    }

    private static int masterOf(RedisClusterProcess cluster, String key) {
        return cluster.portOwningSlot(SlotHash.slot(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static void awaitMaster(RedisClusterProcess cluster, int port) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        try (RawConnection c = new RawConnection(port)) {
            while (!c.call("ROLE").startsWith("*3\r\n$6\r\nmaster")) {
                if (System.nanoTime() > deadline) {
                    fail("replica " + port + " was not promoted");
                }
                Thread.sleep(100);
            }
        }
    }
}
