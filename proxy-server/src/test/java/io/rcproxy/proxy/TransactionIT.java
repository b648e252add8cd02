package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.error;
import static io.rcproxy.proxy.PinnedTesting.masterOf;
import static io.rcproxy.proxy.PinnedTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MULTI/EXEC, DISCARD and WATCH through the proxy, pinned to one master. */
@ExtendWith(RedisClusterExtension.class)
class TransactionIT {

    private static RunningProxy proxy;
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startProxy(RedisClusterProcess c) {
        cluster = c;
        proxy = RunningProxy.start(c);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @Test
    void execRunsQueuedCommandsOnOneSlot() {
        try (RedisTestConnection c = proxy.connect()) {
            c.call("DEL", "{tx1}a", "{tx1}n");
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("SET", "{tx1}a", "1"));
            assertEquals("QUEUED", c.call("INCR", "{tx1}n"));
            assertEquals("QUEUED", c.call("GET", "{tx1}a"));
            List<?> result = (List<?>) c.call("EXEC");
            assertEquals("OK", result.get(0));
            assertEquals(1L, result.get(1));
            assertEquals("1", text(result.get(2)));
            assertEquals("1", text(c.call("GET", "{tx1}a")), "normal routing after EXEC");
        }
    }

    @Test
    void keylessCommandsBeforeTheFirstKeyAreQueuedToo() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("PING"));
            assertEquals("QUEUED", c.call("SET", "{tx2}a", "x"));
            assertEquals("QUEUED", c.call("ECHO", "hi"));
            List<?> result = (List<?>) c.call("EXEC");
            assertEquals(List.of("PONG", "OK", "hi"), PinnedTesting.texts(result));
            assertEquals("OK", c.call("MULTI"));
            assertEquals(List.of(), c.call("EXEC"), "an empty transaction");
        }
    }

    @Test
    void aKeyInAnotherSlotAbortsTheTransaction() {
        try (RedisTestConnection c = proxy.connect()) {
            c.call("DEL", "{tx3}a");
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("SET", "{tx3}a", "1"));
            assertEquals("CROSSSLOT Keys in request don't hash to the same slot",
                    error(c.callRaw("SET", "{tx4}b", "1")));
            assertEquals("EXECABORT Transaction discarded because of previous errors.", error(c.callRaw("EXEC")));
            assertNull(c.call("GET", "{tx3}a"), "nothing ran");
            assertEquals("ERR EXEC without MULTI", error(c.callRaw("EXEC")));
        }
    }

    @Test
    void aCommandRedisForbidsInMultiGetsRedisErrorAndAbortsTheTransaction() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("SET", "{tx5}a", "1"));
            assertEquals("ERR Command not allowed inside a transaction", error(c.callRaw("SAVE")));
            assertEquals("ERR Command not allowed inside a transaction", error(c.callRaw("SHUTDOWN")));
            assertEquals("EXECABORT Transaction discarded because of previous errors.", error(c.callRaw("EXEC")));
            assertNull(c.call("GET", "{tx5}a"), "nothing ran");
        }
    }

    @Test
    void discardDropsTheQueue() {
        try (RedisTestConnection c = proxy.connect()) {
            c.call("DEL", "{tx5}a");
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("SET", "{tx5}a", "1"));
            assertEquals("OK", c.call("DISCARD"));
            assertNull(c.call("GET", "{tx5}a"));
            assertEquals("ERR DISCARD without MULTI", error(c.callRaw("DISCARD")));
        }
    }

    @Test
    void watchedKeyChangedByAnotherClientMakesExecReturnNil() {
        try (RedisTestConnection c = proxy.connect(); RedisTestConnection other = proxy.connect()) {
            c.call("SET", "{tx6}k", "0");
            assertEquals("OK", c.call("WATCH", "{tx6}k"));
            assertEquals("OK", other.call("SET", "{tx6}k", "theirs"));
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("SET", "{tx6}k", "mine"));
            assertNull(c.call("EXEC"));
            assertEquals("theirs", text(c.call("GET", "{tx6}k")));

            assertEquals("OK", c.call("WATCH", "{tx6}k"));
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("SET", "{tx6}k", "mine"));
            assertEquals(List.of("OK"), c.call("EXEC"), "untouched watch: EXEC runs");
            assertEquals("OK", c.call("WATCH", "{tx6}k"));
            assertEquals("OK", c.call("UNWATCH"));
        }
    }

    @Test
    void clientLeavingMidTransactionReleasesItsConnection() throws Exception {
        int master = masterOf(cluster, "{tx7}a");
        RedisTestConnection c = proxy.connect();
        assertEquals("OK", c.call("MULTI"));
        assertEquals("QUEUED", c.call("SET", "{tx7}a", "1"));
        assertTrue(PinnedTesting.backendClients(cluster, master, l -> l.contains(" multi=1 ")) >= 1,
                "the master has a client inside MULTI");
        c.close();
        assertTrue(PinnedTesting.eventually(
                () -> PinnedTesting.backendClients(cluster, master, l -> !l.contains(" multi=-1 ")) == 0, 5000),
                "the pinned connection is closed once the client leaves");
        try (RedisTestConnection check = proxy.connect()) {
            assertNull(check.call("GET", "{tx7}a"), "the transaction never ran");
        }
    }

    @Test
    void aPipelineMixingATransactionAndPlainCommandsAnswersInOrder() {
        try (RedisTestConnection c = proxy.connect()) {
            c.call("DEL", "{tx8}n");
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            pipeline.writeBytes(RedisTestConnection.command("SET", "plain:a", "1"));
            pipeline.writeBytes(RedisTestConnection.command("MULTI"));
            pipeline.writeBytes(RedisTestConnection.command("INCR", "{tx8}n"));
            pipeline.writeBytes(RedisTestConnection.command("INCR", "{tx8}n"));
            pipeline.writeBytes(RedisTestConnection.command("EXEC"));
            pipeline.writeBytes(RedisTestConnection.command("GET", "plain:a"));
            pipeline.writeBytes(RedisTestConnection.command("GET", "{tx8}n"));
            c.sendRaw(pipeline.toByteArray());
            assertEquals("OK", c.readReply());
            assertEquals("OK", c.readReply());
            assertEquals("QUEUED", c.readReply());
            assertEquals("QUEUED", c.readReply());
            assertEquals(List.of(1L, 2L), c.readReply());
            assertEquals("1", text(c.readReply()));
            assertEquals("2", text(c.readReply()));
        }
    }
}
