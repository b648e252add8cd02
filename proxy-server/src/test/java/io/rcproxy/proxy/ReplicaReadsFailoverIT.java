package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A replica that goes away: replica-preferred falls back to the master, replica answers an error. */
@ExtendWith(RedisClusterExtension.class)
class ReplicaReadsFailoverIT {

    private static final String KEY = "{replica-down}:key";

    @Test
    void aStoppedReplicaSendsReadsToTheMasterOrFailsThem(
            @PrivateCluster(masters = 3, replicas = 1) RedisClusterProcess cluster) throws InterruptedException {
        int master = PinnedTesting.masterOf(cluster, KEY);
        int replica = cluster.replicaPortsOf(master).get(0);
        try (RedisTestConnection m = cluster.connect(master)) {
            m.call("SET", KEY, "value");
            assertEquals(1L, m.call("WAIT", "1", "5000"));
        }
        Map<String, Object> common = Map.of("proxy.cluster.refresh-interval", "200ms");
        try (RunningProxy preferred = RunningProxy.start(cluster, with(common, "replica-preferred"));
             RunningProxy strict = RunningProxy.start(cluster, with(common, "replica"));
             RedisTestConnection p = preferred.connect(); RedisTestConnection s = strict.connect()) {
            awaitReply(s, "value"); // the strict proxy serves from the replica once it sees it online
            cluster.stopNode(replica);
            try {
                // Once the proxies notice (lost connection, then the map), reads keep working or say why.
                Object strictReply = awaitError(s);
                assertTrue(((RedisErrorReply) strictReply).message().startsWith("CLUSTERDOWN no readable replica"),
                        strictReply.toString());
                for (int i = 0; i < 20; i++) {
                    assertEquals("value", p.callText("GET", KEY), "replica-preferred reads from the master");
                }
            } finally {
                cluster.restartNode(replica);
            }
        }
    }

    @Test
    void aReadTheReplicaNeverAnsweredIsServedByTheMasterWithReplicaPreferred(
            @PrivateCluster(masters = 3, replicas = 1) RedisClusterProcess cluster) throws InterruptedException {
        int master = PinnedTesting.masterOf(cluster, KEY);
        int replica = cluster.replicaPortsOf(master).get(0);
        try (RedisTestConnection m = cluster.connect(master)) {
            m.call("SET", KEY, "value");
            assertEquals(1L, m.call("WAIT", "1", "5000"));
        }
        Map<String, Object> config = with(Map.of("proxy.cluster.refresh-interval", "200ms"), "replica-preferred");
        try (RunningProxy proxy = RunningProxy.start(cluster, config);
             RedisTestConnection p = proxy.connect();
             RedisTestConnection r = cluster.connect(replica)) {
            awaitReadsOn(r, p);
            r.call("CLIENT", "PAUSE", "10000", "ALL"); // the replica holds the next read unanswered
            p.sendRaw(RedisTestConnection.command("GET", KEY));
            Thread.sleep(300);
            cluster.killNode(replica); // kill -9 with the read in flight
            try {
                assertEquals("value", new String((byte[]) p.readReply(), java.nio.charset.StandardCharsets.UTF_8),
                        "the master answers the read the replica took with it");
            } finally {
                cluster.restartNode(replica);
            }
        }
    }

    /** Reads through {@code proxy} until the replica behind {@code replica} has served some. */
    private static void awaitReadsOn(RedisTestConnection replica, RedisTestConnection proxy)
            throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            assertEquals("value", proxy.callText("GET", KEY));
            if (replica.callText("INFO", "commandstats").contains("cmdstat_get:")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the replica never served a read");
    }

    private static Map<String, Object> with(Map<String, Object> common, String readFrom) {
        Map<String, Object> all = new java.util.HashMap<>(common);
        all.put("proxy.read-from", readFrom);
        return all;
    }

    private static void awaitReply(RedisTestConnection c, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        Object reply = null;
        while (System.nanoTime() < deadline) {
            reply = c.callRaw("GET", KEY);
            if (reply instanceof byte[] bulk && expected.equals(new String(bulk, java.nio.charset.StandardCharsets.UTF_8))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never read " + expected + ", last " + reply);
    }

    private static Object awaitError(RedisTestConnection c) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        Object reply = null;
        while (System.nanoTime() < deadline) {
            reply = c.callRaw("GET", KEY);
            if (reply instanceof RedisErrorReply error && error.message().startsWith("CLUSTERDOWN no readable")) {
                return reply;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the strict proxy kept answering, last " + reply);
    }
}
