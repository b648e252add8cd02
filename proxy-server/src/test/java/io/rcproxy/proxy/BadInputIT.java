package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Malformed input gets one protocol error and a closed connection; nobody else notices. */
@ExtendWith(RedisClusterExtension.class)
class BadInputIT {

    private static RunningProxy proxy;

    @BeforeAll
    static void startProxy(RedisClusterProcess cluster) {
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    private static void assertProtocolErrorAndClose(String garbage, String expectedMessage) {
        try (RedisTestConnection bad = proxy.connect()) {
            bad.sendRaw(garbage.getBytes(StandardCharsets.ISO_8859_1));
            RedisErrorReply error = assertInstanceOf(RedisErrorReply.class, bad.readReply());
            assertEquals("ERR Protocol error: " + expectedMessage, error.message());
            assertTrue(bad.isClosedByPeer(), "the connection must be closed after a protocol error");
        }
    }

    @Test
    void malformedMultibulkLength() {
        assertProtocolErrorAndClose("*abc\r\n", "invalid multibulk length");
    }

    @Test
    void hugeBulkLengthIsRefusedBeforeAllocating() {
        assertProtocolErrorAndClose("*1\r\n$2000000000\r\n", "invalid bulk length");
    }

    @Test
    void hugeArgumentCountIsRefused() {
        assertProtocolErrorAndClose("*2000000000\r\n", "invalid multibulk length");
    }

    @Test
    void repliesBeforeTheGarbageStillArrive() {
        try (RedisTestConnection bad = proxy.connect()) {
            byte[] good = RedisTestConnection.command("SET", "bad:before", "1");
            bad.sendRaw(good);
            bad.sendRaw("*1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("OK", bad.readReply());
            assertTrue(assertInstanceOf(RedisErrorReply.class, bad.readReply()).message()
                    .startsWith("ERR Protocol error: "));
            assertTrue(bad.isClosedByPeer());
        }
    }

    @Test
    void garbageOnOneConnectionLeavesAnotherClientWorking() throws Exception {
        try (RedisTestConnection good = proxy.connect()) {
            assertEquals("OK", good.call("SET", "bad:good", "v1"));
            Thread vandal = new Thread(() -> {
                for (int i = 0; i < 20; i++) {
                    try (RedisTestConnection bad = proxy.connect()) {
                        bad.sendRaw(("*3\r\n$3\r\nSET\r\n$-5\r\n" + i).getBytes(StandardCharsets.US_ASCII));
                        bad.readReply();
                    } catch (RuntimeException ignored) {
                        // the proxy may close before the reply is read
                    }
                }
            });
            vandal.start();
            for (int i = 0; i < 200; i++) {
                assertEquals("OK", good.call("SET", "bad:good", "v" + i));
                assertEquals("v" + i, new String((byte[]) good.call("GET", "bad:good"), StandardCharsets.UTF_8));
            }
            vandal.join(10_000);
        }
    }
}
