package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bytes of every reply the proxy builds itself for a RESP3 client (HELLO, local commands, merged
 * fan-outs, INFO, subscription confirmations, errors) are those a standalone redis-server 7.0 sends for the
 * same command; each command is sent to both, and the replies compared byte for byte. Where the content
 * cannot match (ids, addresses, what INFO describes) the shape is compared instead.
 */
@ExtendWith(RedisClusterExtension.class)
class Resp3BytesIT {

    private static RunningProxy proxy;
    private static StandaloneRedis redis;

    @BeforeAll
    static void start(RedisClusterProcess cluster) {
        proxy = RunningProxy.start(cluster);
        redis = StandaloneRedis.start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        redis.close();
    }

    /** Redis's reply and the proxy's to the same commands, on one connection to each. */
    private static final class Pair implements AutoCloseable {
        final RawConnection toRedis = new RawConnection(redis.port());
        final RawConnection toProxy = new RawConnection(proxy.port());

        /** Sends {@code args} to both and asserts the same bytes came back; returns them. */
        String same(String... args) {
            String expected = toRedis.call(args);
            String actual = toProxy.call(args);
            assertEquals(expected, actual, String.join(" ", args));
            return actual;
        }

        /** As {@link #same}, with the {@code id} field's value blanked in both (each server numbers its own). */
        void sameButId(String... args) {
            assertEquals(withoutId(toRedis.call(args)), withoutId(toProxy.call(args)), String.join(" ", args));
        }

        @Override
        public void close() {
            toRedis.close();
            toProxy.close();
        }
    }

    private static String withoutId(String hello) {
        return hello.replaceFirst("\\$2\r\nid\r\n:\\d+\r\n", "\\$2\r\nid\r\n:ID\r\n");
    }

    @Test
    void helloAnswersLikeRedisInBothProtocols() {
        try (Pair both = new Pair()) {
            both.sameButId("HELLO");
            both.sameButId("HELLO", "3");
            both.sameButId("HELLO");
            both.sameButId("HELLO", "2");
            both.sameButId("HELLO", "3", "AUTH", "default", "anything", "SETNAME", "r3-client");
            both.same("CLIENT", "GETNAME");
            both.same("HELLO", "4");
            both.same("HELLO", "1");
            both.same("HELLO", "three");
            both.same("HELLO", "3", "SETNAME");
            both.same("HELLO", "3", "AUTH", "default");
            both.same("HELLO", "3", "FOO");
            both.same("HELLO", "3", "AUTH", "nobody", "secret");
            both.same("HELLO", "3", "SETNAME", "has space");
            both.same("CLIENT", "GETNAME");
        }
    }

    @Test
    void localCommandsAnswerInRespThree() {
        try (Pair both = new Pair()) {
            both.sameButId("HELLO", "3");
            both.same("CLIENT", "GETNAME");
            both.same("PING");
            both.same("PING", "hi");
            both.same("ECHO", "hello");
            both.same("SELECT", "0");
            both.same("CLIENT", "SETNAME", "n1");
            both.same("CLIENT", "GETNAME");
            String info = both.toProxy.call("CLIENT", "INFO");
            // Redis 7.2's lib-name and lib-ver follow resp= (CLIENT SETINFO), as 7.2 prints them.
            assertTrue(info.matches("(?s)=\\d+\r\ntxt:id=\\d+ .* resp=3 lib-name=\\S* lib-ver=\\S*\n\r\n"), info);
            assertTrue(both.toRedis.call("CLIENT", "INFO").matches("(?s)=\\d+\r\ntxt:id=\\d+ .* resp=3\n\r\n"));
            assertTrue(both.toProxy.call("CLIENT", "LIST").startsWith("="));
            both.same("CLIENT", "LIST", "ID", "999999");
            both.same("CLIENT", "KILL", "1.2.3.4:5");
            both.same("CLIENT", "KILL", "ID", "999999");
            both.same("CLIENT", "NO-EVICT", "on");
            both.same("MULTI");
            both.same("EXEC");
            both.same("RESET");
            both.same("CLIENT", "GETNAME"); // RESP2 again, and no name
            both.sameButId("HELLO");
        }
    }

    @Test
    void mergedFanOutsAnswerInRespThree() {
        try (Pair both = new Pair()) {
            both.sameButId("HELLO", "3");
            both.same("DEL", "r3b:a", "r3b:b", "r3b:c", "r3b:d");
            both.same("MSET", "r3b:a", "1", "r3b:b", "2");
            both.same("MGET", "r3b:a", "r3b:c", "r3b:b", "r3b:d");
            both.same("EXISTS", "r3b:a", "r3b:b", "r3b:c");
            both.same("TOUCH", "r3b:a", "r3b:b", "r3b:c");
            both.same("KEYS", "r3b:a*");
            both.same("HGETALL", "r3b:nohash");
            both.same("HSET", "r3b:h", "f", "v");
            both.same("HGETALL", "r3b:h");
            both.same("CONFIG", "GET", "maxmemory");
            both.same("UNLINK", "r3b:a", "r3b:b", "r3b:c", "r3b:h");
            both.same("MGET", "r3b:a", "r3b:c");
        }
    }

    @Test
    void forwardedRespThreeTypesPassAsRedisSentThem() {
        try (Pair both = new Pair()) {
            both.sameButId("HELLO", "3");
            both.same("DEL", "r3b:z", "r3b:s", "r3b:l");
            both.same("ZADD", "r3b:z", "1.5", "a", "2", "b");
            both.same("ZSCORE", "r3b:z", "a");
            both.same("ZRANGE", "r3b:z", "0", "-1", "WITHSCORES");
            both.same("ZSCORE", "r3b:z", "none");
            both.same("SADD", "r3b:s", "x");
            both.same("SMEMBERS", "r3b:s");
            both.same("BLPOP", "r3b:l", "0.05");
            both.same("DEL", "r3b:z", "r3b:s");
        }
    }

    @Test
    void transactionsAnswerInRespThree() {
        try (Pair both = new Pair()) {
            both.sameButId("HELLO", "3");
            both.same("DEL", "{r3b}h", "{r3b}n");
            both.same("WATCH", "{r3b}h");
            both.same("MULTI");
            both.same("HSET", "{r3b}h", "f", "v");
            both.same("INCR", "{r3b}n");
            both.same("HGETALL", "{r3b}h");
            both.same("GET", "{r3b}none");
            both.same("EXEC");
            both.same("MULTI");
            both.same("NOSUCH");
            both.same("EXEC");
            both.same("DEL", "{r3b}h", "{r3b}n");
        }
    }

    @Test
    void infoAndScanHaveRedisShapes() {
        try (Pair both = new Pair()) {
            both.sameButId("HELLO", "3");
            String info = both.toProxy.call("INFO", "keyspace");
            assertTrue(info.matches("(?s)=\\d+\r\ntxt:# Keyspace\r\n.*\r\n"), info);
            assertTrue(both.toRedis.call("INFO", "keyspace").startsWith("=16\r\ntxt:# Keyspace\r\n"));
            assertTrue(both.toProxy.call("INFO").matches("(?s)=\\d+\r\ntxt:# Server\r\n.*"));
            assertEquals(info.length() - info.indexOf("txt:"), declaredLength(info) + 2);
            String cursor = "0";
            do {
                String scan = both.toProxy.call("SCAN", cursor, "MATCH", "r3b:none*");
                assertTrue(scan.matches("\\*2\r\n\\$\\d+\r\n\\d+\r\n\\*0\r\n"), scan);
                cursor = scan.split("\r\n")[2];
            } while (!cursor.equals("0"));
        }
    }

    @Test
    void nodeReportsHaveRedisShapes() {
        try (Pair both = new Pair()) {
            both.sameButId("HELLO", "3");
            both.toRedis.call("SET", "r3b:h", "v");
            both.toProxy.call("SET", "r3b:h", "v");
            for (String server : new String[] {"redis", "proxy"}) {
                RawConnection c = server.equals("redis") ? both.toRedis : both.toProxy;
                String stats = c.call("MEMORY", "STATS");
                assertTrue(stats.startsWith("%"), server + ": " + stats);
                assertTrue(stats.contains("$15\r\npeak.percentage\r\n,"), server + ": a ratio is a double: " + stats);
                String histogram = c.call("LATENCY", "HISTOGRAM", "set");
                assertTrue(histogram.matches("(?s)%1\r\n\\$3\r\nset\r\n%2\r\n\\$5\r\ncalls\r\n:\\d+\r\n"
                        + "\\$14\r\nhistogram_usec\r\n%\\d+\r\n.*"), server + ": " + histogram);
                for (String[] doctor : new String[][] {{"LATENCY", "DOCTOR"}, {"MEMORY", "DOCTOR"}}) {
                    String text = c.call(doctor);
                    assertTrue(text.matches("(?s)=\\d+\r\ntxt:.*"), server + ": " + text);
                    assertEquals(text.length() - text.indexOf("txt:"), declaredLength(text) + 2, server);
                }
            }
            both.toProxy.call("HELLO", "2");
            assertTrue(both.toProxy.call("MEMORY", "STATS").startsWith("*"), "RESP2 keeps the flat list");
        }
    }

    private static int declaredLength(String verbatim) {
        return Integer.parseInt(verbatim.substring(1, verbatim.indexOf('\r')));
    }

    @Test
    void errorsAreRedisErrors() {
        try (Pair both = new Pair()) {
            both.sameButId("HELLO", "3");
            both.same("GET");
            both.same("NOSUCHCMD", "x", "y");
            both.same("CLIENT", "NOPE");
            both.same("SELECT", "x");
            both.same("AUTH", "nobody", "secret");
        }
    }

    @Test
    void subscriptionsArePushesAndOtherCommandsStillRun() {
        try (Pair both = new Pair();
             RawConnection publishToRedis = new RawConnection(redis.port());
             RawConnection publishToProxy = new RawConnection(proxy.port())) {
            both.sameButId("HELLO", "3");
            both.same("UNSUBSCRIBE");
            both.same("PUNSUBSCRIBE");
            both.same("SUNSUBSCRIBE");
            both.same("SET", "r3b:sub", "v");
            both.same("SUBSCRIBE", "r3b:ch");
            both.same("PING");
            both.same("GET", "r3b:sub");
            both.same("MGET", "r3b:sub", "r3b:other");
            publishToRedis.call("PUBLISH", "r3b:ch", "hello");
            publishToProxy.call("PUBLISH", "r3b:ch", "hello");
            String message = both.toProxy.read();
            assertEquals(both.toRedis.read(), message);
            assertEquals(">3\r\n$7\r\nmessage\r\n$6\r\nr3b:ch\r\n$5\r\nhello\r\n", message);
            both.same("UNSUBSCRIBE", "r3b:ch");
            both.same("UNSUBSCRIBE");
            both.same("DEL", "r3b:sub");
        }
    }

    @Test
    void aSubscriberSwitchingToRespTwoGetsRespTwoFrames() {
        try (Pair both = new Pair();
             RawConnection publishToRedis = new RawConnection(redis.port());
             RawConnection publishToProxy = new RawConnection(proxy.port())) {
            both.sameButId("HELLO", "3");
            both.same("SUBSCRIBE", "r3b:switch");
            both.sameButId("HELLO", "2");
            both.same("PING");
            both.same("GET", "r3b:any");
            publishToRedis.call("PUBLISH", "r3b:switch", "m");
            publishToProxy.call("PUBLISH", "r3b:switch", "m");
            assertEquals(both.toRedis.read(), both.toProxy.read());
            both.same("UNSUBSCRIBE");
        }
    }

    @Test
    void respTwoClientsBesideRespThreeOnesKeepRespTwo() {
        try (RawConnection three = new RawConnection(proxy.port());
             RawConnection two = new RawConnection(proxy.port())) {
            three.call("HELLO", "3");
            three.call("HSET", "r3b:mix", "f", "v");
            for (int i = 0; i < 3; i++) {
                assertEquals("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", three.call("HGETALL", "r3b:mix"));
                assertEquals("*2\r\n$1\r\nf\r\n$1\r\nv\r\n", two.call("HGETALL", "r3b:mix"));
                assertEquals("*2\r\n_\r\n$1\r\nv\r\n", three.call("HMGET", "r3b:mix", "g", "f"));
                assertEquals("*2\r\n$-1\r\n$1\r\nv\r\n", two.call("HMGET", "r3b:mix", "g", "f"));
            }
            assertEquals(List.of(":1\r\n"), List.of(three.call("DEL", "r3b:mix")));
        }
    }
}
