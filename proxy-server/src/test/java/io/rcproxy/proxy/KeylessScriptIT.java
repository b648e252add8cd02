package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.masterOf;
import static io.rcproxy.proxy.PinnedTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A script that declares no keys runs on the master of the client's last key, so one reading a key the
 * client just wrote finds it local; when it touches another master's key, it runs there instead.
 */
@ExtendWith(RedisClusterExtension.class)
class KeylessScriptIT {

    private static RunningProxy proxy;
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void start(RedisClusterProcess c) {
        cluster = c;
        proxy = RunningProxy.start(c);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void aKeylessScriptRunsWhereTheClientsLastKeyLives() {
        Set<Integer> masters = new HashSet<>();
        try (RedisTestConnection c = proxy.connect()) {
            for (int i = 0; i < 20; i++) {
                String key = "ks:" + i;
                masters.add(masterOf(cluster, key));
                c.call("SET", key, "v" + i);
                assertEquals("v" + i, text(c.call("EVAL", "return redis.call('get', '" + key + "')", "0")), key);
            }
        }
        assertEquals(cluster.masterPorts().size(), masters.size(), "keys on every master");
    }

    @Test
    void aKeylessReadOnlyFunctionRunsWhereTheClientsLastKeyLives() {
        try (RedisTestConnection c = proxy.connect()) {
            c.call("FUNCTION", "LOAD", "REPLACE", "#!lua name=ksget\nredis.register_function{function_name='ksget',"
                    + " callback=function() return redis.call('get', 'ks:fn') end, flags={'no-writes'}}");
            c.call("SET", "ks:fn", "here");
            assertEquals("here", text(c.call("FCALL_RO", "ksget", "0")));
            c.call("FUNCTION", "DELETE", "ksget");
        }
    }

    @Test
    void aKeylessScriptTouchingAnotherMastersKeyRunsWhereThatKeyLives() {
        Set<Integer> masters = new HashSet<>();
        try (RedisTestConnection c = proxy.connect()) {
            for (int i = 0; i < 20; i++) {
                String key = "ks:w:" + i;
                masters.add(masterOf(cluster, key));
                c.call("SET", "ks:elsewhere", "x"); // the last key: usually on another master
                assertEquals("OK", text(c.call("EVAL", "return redis.call('set', '" + key + "', 'w')", "0")), key);
                assertEquals("w", text(c.call("GET", key)));
            }
        }
        assertEquals(cluster.masterPorts().size(), masters.size(), "keys on every master");
    }

    @Test
    void aKeylessScriptTouchingKeysOfTwoMastersIsRefusedEverywhere() {
        String a = "ks:two:a";
        String b = "ks:two:b";
        int i = 0;
        while (masterOf(cluster, b) == masterOf(cluster, a)) {
            b = "ks:two:b" + i++;
        }
        try (RedisTestConnection c = proxy.connect()) {
            Object reply = c.callRaw("EVAL", "redis.call('get', '" + a + "'); return redis.call('get', '" + b + "')", "0");
            assertTrue(PinnedTesting.error(reply).startsWith("ERR Script attempted to access a non local key"));
            assertEquals("PONG", c.call("PING"));
        }
    }
}
