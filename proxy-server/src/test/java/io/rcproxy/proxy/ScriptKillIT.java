package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SCRIPT KILL and FUNCTION KILL reach the master busy running a script, though the script runs on the
 * shared connection the kill would otherwise queue behind.
 */
@ExtendWith(RedisClusterExtension.class)
class ScriptKillIT {

    private static RunningProxy proxy;
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void start(RedisClusterProcess c) {
        cluster = c;
        busyAfter("10");
        proxy = RunningProxy.start(c, java.util.Map.of("proxy.io.event-loops", 1));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        busyAfter("5000");
    }

    private static void busyAfter(String millis) {
        for (int port : cluster.masterPorts()) {
            try (RedisTestConnection node = cluster.connect(port)) {
                node.call("CONFIG", "SET", "busy-reply-threshold", millis);
            }
        }
    }

    @Test
    void scriptKillStopsABusyScriptThroughTheProxy() throws Exception {
        try (RedisTestConnection busy = proxy.connect(); RedisTestConnection c = proxy.connect()) {
            busy.sendRaw(RedisTestConnection.command("EVAL", "while true do end", "0"));
            Thread.sleep(300);
            assertEquals("OK", c.call("SCRIPT", "KILL"));
            assertTrue(error(busy.readReply()).contains("Script killed by user"));
            assertEquals("PONG", busy.call("PING"));
            assertEquals("NOTBUSY No scripts in execution right now.", error(c.callRaw("SCRIPT", "KILL")));
        }
    }

    @Test
    void functionKillStopsABusyFunctionThroughTheProxy() throws Exception {
        try (RedisTestConnection busy = proxy.connect(); RedisTestConnection c = proxy.connect()) {
            c.call("FUNCTION", "LOAD", "REPLACE",
                    "#!lua name=spin\nredis.register_function{function_name='spin', callback=function() while true do end end,"
                            + " flags={'no-writes'}}");
            busy.sendRaw(RedisTestConnection.command("FCALL", "spin", "0"));
            Thread.sleep(300);
            assertEquals("OK", c.call("FUNCTION", "KILL"));
            assertTrue(error(busy.readReply()).contains("killed by user"));
            c.call("FUNCTION", "DELETE", "spin");
        }
    }
}
