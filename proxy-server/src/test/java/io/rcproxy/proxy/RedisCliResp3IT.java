package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code redis-cli -3} connects (its HELLO 3 succeeds) and shows RESP3 types as it does against Redis. */
@ExtendWith(RedisClusterExtension.class)
class RedisCliResp3IT {

    private static RunningProxy proxy;

    @BeforeAll
    static void start(RedisClusterProcess cluster) {
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    /** redis-cli's formatted output (as on a terminal) of one command, and its exit code checked. */
    private static String cli(String... command) {
        List<String> args = new ArrayList<>(List.of("redis-cli", "--no-raw", "-3", "-h", "127.0.0.1",
                "-p", String.valueOf(proxy.port())));
        args.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "redis-cli finished");
            assertEquals(0, process.exitValue(), out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void helloSucceedsAndMapsShowAsMaps() {
        String hello = cli("HELLO", "3");
        assertTrue(hello.contains("3# \"proto\" => (integer) 3"), hello);
        assertTrue(!hello.contains("HELLO 3 failed"), hello);
        assertEquals("OK\n", cli("SET", "cli3:k", "v"));
        assertEquals("\"v\"\n", cli("GET", "cli3:k"));
        cli("DEL", "cli3:h");
        assertEquals("(integer) 2\n", cli("HSET", "cli3:h", "f", "1", "g", "2"));
        assertEquals("1# \"f\" => \"1\"\n2# \"g\" => \"2\"\n", cli("HGETALL", "cli3:h"));
        assertEquals("1) \"v\"\n2) (nil)\n", cli("MGET", "cli3:k", "cli3:none"));
        assertEquals("(nil)\n", cli("CLIENT", "GETNAME"));
    }
}
