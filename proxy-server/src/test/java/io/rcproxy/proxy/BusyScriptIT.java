package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A script running past busy-reply-threshold makes the proxy answer as one busy Redis: -BUSY to what Redis
 * refuses then, whatever master the command is for, EXECABORT for a transaction, and back to normal the
 * moment the script's reply is in.
 */
@ExtendWith(RedisClusterExtension.class)
class BusyScriptIT {

    private static final String EVAL_BUSY = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    private static RunningProxy proxy;

    @BeforeAll
    static void start(RedisClusterProcess cluster) {
        proxy = RunningProxy.start(cluster, Map.of());
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("CONFIG", "SET", "busy-reply-threshold", "50")); // the proxy follows it
        }
    }

    @AfterAll
    static void stop() {
        try (RedisTestConnection c = proxy.connect()) {
            c.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        } finally {
            proxy.close();
        }
    }

    @Test
    void everyClientGetsBusyUntilTheScriptIsKilled() throws Exception {
        try (RedisTestConnection script = proxy.connect(); RedisTestConnection c = proxy.connect()) {
            script.sendRaw(RedisTestConnection.command("EVAL", "while true do end", "0"));
            Thread.sleep(300);
            assertEquals(EVAL_BUSY, error(c.callRaw("PING")));
            for (int i = 0; i < 20; i++) { // keys of every master
                assertEquals(EVAL_BUSY, error(c.callRaw("SET", "busy:" + i, "v")));
            }
            assertEquals("OK", c.call("SCRIPT", "KILL"), "allowed while busy");
            assertTrue(error(script.readReply()).contains("killed by user"));
            assertEquals("PONG", c.call("PING"), "no longer busy once the reply is in");
            assertEquals("PONG", script.call("PING"));
        }
    }

    @Test
    void aTransactionQueuedDuringTheScriptAborts() throws Exception {
        try (RedisTestConnection script = proxy.connect(); RedisTestConnection tx = proxy.connect();
             RedisTestConnection c = proxy.connect()) {
            c.call("SET", "busy:xx", "1");
            script.sendRaw(RedisTestConnection.command("EVAL", "while true do end", "0"));
            Thread.sleep(300);
            assertEquals("OK", tx.call("MULTI"), "MULTI is allowed while busy");
            assertEquals(EVAL_BUSY, error(tx.callRaw("INCR", "busy:xx")));
            c.call("SCRIPT", "KILL");
            script.readReply();
            assertEquals("QUEUED", tx.callText("INCR", "busy:xx"));
            assertTrue(error(tx.callRaw("EXEC")).startsWith("EXECABORT Transaction discarded because of previous errors"));
            assertEquals("1", c.callText("GET", "busy:xx"));
        }
    }

    @Test
    void anExecDuringTheScriptAbortsNamingIt() throws Exception {
        try (RedisTestConnection script = proxy.connect(); RedisTestConnection tx = proxy.connect();
             RedisTestConnection c = proxy.connect()) {
            c.call("SET", "busy:yy", "1");
            assertEquals("OK", tx.call("MULTI"));
            assertEquals("QUEUED", tx.callText("INCR", "busy:yy"));
            script.sendRaw(RedisTestConnection.command("EVAL", "while true do end", "0"));
            Thread.sleep(300);
            assertEquals("EXECABORT Transaction discarded because of: " + EVAL_BUSY, error(tx.callRaw("EXEC")));
            c.call("SCRIPT", "KILL");
            script.readReply();
            assertEquals("1", c.callText("GET", "busy:yy"));
            assertEquals("asdf", tx.callText("PING", "asdf"), "the transaction is over");
        }
    }

    @Test
    void functionStatsShowsTheBusyFunctionAndScriptKillSaysBusy() throws Exception {
        try (RedisTestConnection script = proxy.connect(); RedisTestConnection c = proxy.connect()) {
            c.call("FUNCTION", "LOAD", "REPLACE",
                    "#!lua name=busyspin\nredis.register_function{function_name='busyspin', callback=function() "
                            + "while true do end end, flags={'no-writes'}}");
            script.sendRaw(RedisTestConnection.command("FCALL", "busyspin", "0"));
            Thread.sleep(300);
            assertTrue(error(c.callRaw("PING")).contains("You can only call FUNCTION KILL"));
            List<?> stats = assertInstanceOf(List.class, c.call("FUNCTION", "STATS"));
            assertNotNull(stats.get(1), "running_script of the master running it: " + stats);
            assertTrue(error(c.callRaw("SCRIPT", "KILL")).startsWith("BUSY"), "not NOTBUSY from an idle master");
            assertEquals("OK", c.call("FUNCTION", "KILL"));
            script.readReply();
            assertEquals("PONG", c.call("PING"));
            c.call("FUNCTION", "DELETE", "busyspin");
        }
    }

    @Test
    void aLongScriptDoesNotHoldUpItsOwnClientsNextCommand() {
        try (RedisTestConnection c = proxy.connect()) {
            for (int round = 0; round < 5; round++) {
                // Longer than the threshold, so busy for others while it runs; its own next command is not.
                assertEquals(1L, c.call("EVAL", "local t = redis.call('TIME') local s = t[1] * 1000000 + t[2] "
                        + "while true do local n = redis.call('TIME') if n[1] * 1000000 + n[2] - s > 150000 then "
                        + "return 1 end end", "0"));
                assertEquals("PONG", c.call("PING"));
            }
        }
    }

    @Test
    void aProxyStartedLaterTakesTheNodesThreshold(RedisClusterProcess cluster) throws Exception {
        // The nodes hold 50 ms since start(); this proxy never saw that CONFIG SET.
        try (RunningProxy fresh = RunningProxy.start(cluster, Map.of());
             RedisTestConnection script = fresh.connect(); RedisTestConnection c = fresh.connect()) {
            Thread.sleep(200); // the threshold is read once the slot map is complete
            script.sendRaw(RedisTestConnection.command("EVAL", "while true do end", "0"));
            Thread.sleep(300);
            assertEquals(EVAL_BUSY, error(c.callRaw("PING")));
            assertEquals("OK", c.call("SCRIPT", "KILL"));
            script.readReply();
        }
    }

    @Test
    void withNodeScopeOnlyTheScriptsMasterIsBusy(RedisClusterProcess cluster) throws Exception {
        try (RunningProxy node = RunningProxy.start(cluster, Map.of("proxy.scripts.busy-scope", "node"));
             RedisTestConnection script = node.connect(); RedisTestConnection c = node.connect()) {
            c.call("CONFIG", "SET", "busy-reply-threshold", "50");
            script.sendRaw(RedisTestConnection.command("EVAL", "while true do end", "0"));
            Thread.sleep(300);
            assertEquals("PONG", c.call("PING"), "the proxy itself is not busy");
            assertEquals("OK", c.call("SCRIPT", "KILL"));
            script.readReply();
        }
    }
}
