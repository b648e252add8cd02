package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.masterOf;
import static io.rcproxy.proxy.PinnedTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Blocking commands run on connections of their own, with their own timeouts. */
@ExtendWith(RedisClusterExtension.class)
class BlockingCommandsIT {

    private static RunningProxy proxy;
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startProxy(RedisClusterProcess c) {
        cluster = c;
        proxy = RunningProxy.start(c, Map.of("proxy.cluster.command-timeout", "500ms"));
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @Test
    void blpopWaitsForItsOwnTimeoutNotTheProxys() {
        try (RedisTestConnection c = proxy.connect()) {
            c.call("DEL", "{bl1}empty");
            long start = System.nanoTime();
            assertNull(c.call("BLPOP", "{bl1}empty", "2"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 1900 && millis < 6000, "answered after " + millis + " ms");
            assertEquals("PONG", c.call("PING"));
        }
    }

    @Test
    void blpopFollowsAskToTheImportingNode(@PrivateCluster(masters = 3) RedisClusterProcess own) {
        String key = "{bl-moving}q";
        int slot = SlotHash.slot(key.getBytes(StandardCharsets.UTF_8));
        int source = own.portOwningSlot(slot);
        int target = own.masterPorts().stream().filter(p -> p != source).findFirst().orElseThrow();
        try (RunningProxy p = RunningProxy.start(own);
             RedisTestConnection c = p.connect();
             RedisTestConnection sourceNode = own.connect(source);
             RedisTestConnection targetNode = own.connect(target)) {
            assertEquals("OK", targetNode.call("CLUSTER", "SETSLOT", String.valueOf(slot), "IMPORTING",
                    own.nodeId(source)));
            assertEquals("OK", sourceNode.call("CLUSTER", "SETSLOT", String.valueOf(slot), "MIGRATING",
                    own.nodeId(target)));
            assertEquals("OK", targetNode.call("ASKING"));
            assertEquals(1L, targetNode.call("RPUSH", key, "moved-job"));
            // The source lacks the key, so it answers ASK; only the importing node has the job to pop.
            assertEquals(List.of(key, "moved-job"), PinnedTesting.texts(c.call("BLPOP", key, "1")));
            assertEquals("PONG", c.call("PING"));
        }
    }

    @Test
    void blpopIsUnblockedByAPushFromAnotherClient() throws Exception {
        try (RedisTestConnection waiter = proxy.connect(); RedisTestConnection pusher = proxy.connect()) {
            waiter.call("DEL", "{bl2}q");
            waiter.sendRaw(RedisTestConnection.command("BLPOP", "{bl2}q", "10"));
            Thread.sleep(200);
            assertEquals(1L, pusher.call("LPUSH", "{bl2}q", "job"));
            assertEquals(List.of("{bl2}q", "job"), PinnedTesting.texts(waiter.readReply()));
        }
    }

    @Test
    void otherClientsOfTheSameMasterKeepWorkingWhileOneIsBlocked() throws Exception {
        try (RedisTestConnection waiter = proxy.connect(); RedisTestConnection other = proxy.connect()) {
            waiter.call("DEL", "{bl3}q");
            waiter.sendRaw(RedisTestConnection.command("BLPOP", "{bl3}q", "0"));
            Thread.sleep(100);
            long worst = 0;
            for (int i = 0; i < 200; i++) {
                long start = System.nanoTime();
                assertEquals("OK", other.call("SET", "{bl3}k" + i, "v"));
                assertEquals("v", text(other.call("GET", "{bl3}k" + i)));
                worst = Math.max(worst, System.nanoTime() - start);
            }
            assertTrue(worst < 400_000_000L, "slowest SET+GET took " + worst / 1_000_000 + " ms");
            other.call("RPUSH", "{bl3}q", "done");
            assertEquals(List.of("{bl3}q", "done"), PinnedTesting.texts(waiter.readReply()));
        }
    }

    @Test
    void aClientLeavingWhileBlockedFreesItsBackendConnection() throws Exception {
        int master = masterOf(cluster, "{bl4}q");
        RedisTestConnection waiter = proxy.connect();
        waiter.call("DEL", "{bl4}q");
        waiter.sendRaw(RedisTestConnection.command("BLPOP", "{bl4}q", "0"));
        // Blocked now (flags=b): an idle pooled connection whose last command was a BLPOP shows cmd=blpop too.
        assertTrue(PinnedTesting.eventually(
                () -> PinnedTesting.backendClients(cluster, master, BlockingCommandsIT::blockedInBlpop) == 1, 5000),
                "the master shows the blocked client");
        waiter.close();
        assertTrue(PinnedTesting.eventually(
                () -> PinnedTesting.backendClients(cluster, master, BlockingCommandsIT::blockedInBlpop) == 0, 5000),
                "the blocked backend connection is gone");
    }

    private static boolean blockedInBlpop(String clientListLine) {
        return clientListLine.contains(" flags=b ") && clientListLine.contains(" cmd=blpop ");
    }

    @Test
    void xreadBlocksOnlyWithBlock() {
        try (RedisTestConnection c = proxy.connect()) {
            c.call("DEL", "{bl5}s");
            c.call("XADD", "{bl5}s", "1-1", "f", "v");
            List<?> read = (List<?>) c.call("XREAD", "COUNT", "1", "STREAMS", "{bl5}s", "0");
            assertEquals(1, read.size());
            long start = System.nanoTime();
            assertNull(c.call("XREAD", "BLOCK", "1000", "STREAMS", "{bl5}s", "$"));
            assertTrue(System.nanoTime() - start >= 900_000_000L, "waited for BLOCK 1000");
            assertEquals("CROSSSLOT Keys in request don't hash to the same slot",
                    PinnedTesting.error(c.callRaw("BLPOP", "{bl5}a", "{bl6}b", "1")));
        }
    }

    @Test
    void waitOutsideATransactionAnswersZero() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals(0L, c.call("WAIT", "0", "100"));
        }
    }
}
