package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Plain-Redis commands through the proxy behave as on a single Redis. */
@ExtendWith(RedisClusterExtension.class)
class ProxyCommandsIT {

    private static RunningProxy proxy;

    @BeforeAll
    static void startProxy(RedisClusterProcess cluster) {
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    private static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private static String error(Object reply) {
        return assertInstanceOf(RedisErrorReply.class, reply).message();
    }

    @Test
    void singleKeyCommandsWorkAsOnOneRedis() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("SET", "cmd:foo", "bar"));
            assertEquals("bar", text(c.call("GET", "cmd:foo")));
            c.call("DEL", "cmd:n");
            c.call("DEL", "cmd:h");
            c.call("DEL", "cmd:l");
            assertEquals(1L, c.call("INCR", "cmd:n"));
            assertEquals(1L, c.call("HSET", "cmd:h", "f", "v"));
            assertEquals("v", text(c.call("HGET", "cmd:h", "f")));
            assertEquals(1L, c.call("LPUSH", "cmd:l", "a"));
            assertEquals(2L, c.call("RPUSH", "cmd:l", "b"));
            assertEquals(List.of("a", "b"), ((List<?>) c.call("LRANGE", "cmd:l", "0", "-1")).stream()
                    .map(ProxyCommandsIT::text).toList());
            assertEquals(null, c.call("GET", "cmd:missing"));
        }
    }

    @Test
    void keysSharingAHashTagCanBeUsedTogether() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("MSET", "{user1000}.following", "1", "{user1000}.followers", "2"));
            List<?> values = (List<?>) c.call("MGET", "{user1000}.following", "{user1000}.followers");
            assertEquals(List.of("1", "2"), values.stream().map(ProxyCommandsIT::text).toList());
        }
    }

    @Test
    void keysInDifferentSlotsGetCrossslotUnlessTheCommandCanBeSplit() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("CROSSSLOT Keys in request don't hash to the same slot",
                    error(c.callRaw("MSETNX", "a", "1", "b", "2")));
            assertEquals("CROSSSLOT Keys in request don't hash to the same slot",
                    error(c.callRaw("SINTERSTORE", "a", "b")));
            assertEquals("PONG", c.call("PING"), "the connection stays usable");
        }
    }

    @Test
    void connectionCommandsAreAnsweredByTheProxy() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("PONG", c.call("PING"));
            assertEquals("hi", text(c.call("PING", "hi")));
            assertEquals("hello", text(c.call("ECHO", "hello")));
            assertEquals("OK", c.call("SELECT", "0"));
            assertEquals("ERR SELECT is not allowed in cluster mode", error(c.callRaw("SELECT", "1")));
            assertEquals(null, c.call("CLIENT", "GETNAME"));
            assertEquals("OK", c.call("CLIENT", "SETNAME", "worker-1"));
            assertEquals("worker-1", text(c.call("CLIENT", "GETNAME")));
            assertInstanceOf(Long.class, c.call("CLIENT", "ID"));
            List<?> hello = (List<?>) c.call("HELLO", "2");
            assertEquals("proto", text(hello.get(4)));
            assertEquals(2L, hello.get(5));
            assertEquals("NOPROTO unsupported protocol version", error(c.callRaw("HELLO", "4")));
        }
    }

    @Test
    void commandIsForwardedToAMaster() {
        try (RedisTestConnection c = proxy.connect()) {
            assertTrue((Long) c.call("COMMAND", "COUNT") > 200);
        }
    }

    @Test
    void unknownAndUnsupportedCommandsGetClearErrors() {
        try (RedisTestConnection c = proxy.connect()) {
            assertTrue(error(c.callRaw("NOSUCHCMD", "x")).startsWith("ERR unknown command 'NOSUCHCMD'"));
            assertEquals("ERR command 'shutdown' is not supported by the proxy", error(c.callRaw("SHUTDOWN")));
            assertEquals("ERR command 'cluster setslot' is not supported by the proxy",
                    error(c.callRaw("CLUSTER", "SETSLOT", "1", "STABLE")));
            // As a standalone Redis answers, unless proxy.listen.present-as-cluster is on.
            assertEquals("ERR This instance has cluster support disabled", error(c.callRaw("CLUSTER", "NODES")));
            assertEquals("ERR command 'cluster forget' is not supported by the proxy",
                    error(c.callRaw("CLUSTER", "FORGET", "x")));
            assertEquals("ERR wrong number of arguments for 'get' command", error(c.callRaw("GET")));
            assertTrue(error(c.callRaw("CLIENT", "NOPE")).startsWith("ERR unknown subcommand 'NOPE'"));
            assertEquals("PONG", c.call("PING"));
        }
    }

    @Test
    void quitRepliesOkAndCloses() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("QUIT"));
            assertTrue(c.isClosedByPeer());
        }
    }
}
