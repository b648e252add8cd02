package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One client's huge request does not stall the other clients of its event loop, and the proxy's own pauses
 * are not blamed on healthy backends. One event loop, so the two clients are sure to share it; a short
 * command timeout, so a stall mistaken for a dead node would fail the other client's commands.
 */
@ExtendWith(RedisClusterExtension.class)
class LoopFairnessIT {

    private static final int ARGS = 1_048_576;
    /** Generous: paranoid leak detection on a shared 2-core machine; the unbounded decoder took 3-10 s. */
    private static final long MAX_ROUND_MILLIS = 1000;

    private static RunningProxy proxy;
    private static String listKey;
    private static String pingKey;

    @BeforeAll
    static void startProxy(RedisClusterProcess cluster) {
        proxy = RunningProxy.start(cluster, Map.of(
                "proxy.io.event-loops", 1,
                "proxy.cluster.command-timeout", "1500ms"));
        listKey = "fair:list";
        // The bystander's key lives on another master: Redis running the big RPUSH must not be what we measure.
        int listOwner = cluster.portOwningSlot(SlotHash.slot(listKey.getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; pingKey == null; i++) {
            String candidate = "fair:ping:" + i;
            if (cluster.portOwningSlot(SlotHash.slot(candidate.getBytes(StandardCharsets.UTF_8))) != listOwner) {
                pingKey = candidate;
            }
        }
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** PING and GET in a loop; records the slowest round; any error fails the test. */
    private static final class Pinger implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong rounds = new AtomicLong();
        private final AtomicLong slowestNanos = new AtomicLong();
        private final Thread thread;
        private volatile Throwable failure;

        Pinger() {
            try (RedisTestConnection c = proxy.connect()) {
                assertEquals("OK", c.call("SET", pingKey, "here"));
            }
            thread = new Thread(() -> {
                try (RedisTestConnection c = RedisTestConnection.open("127.0.0.1", proxy.port(), Duration.ofSeconds(30))) {
                    for (long i = 0; !stop.get() && i < 1_000_000; i++) {
                        long start = System.nanoTime();
                        assertEquals("PONG", c.call("PING"));
                        assertEquals("here", new String((byte[]) c.call("GET", pingKey), StandardCharsets.UTF_8));
                        slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                        rounds.incrementAndGet();
                        Thread.sleep(5);
                    }
                } catch (Throwable t) {
                    failure = t;
                }
            }, "pinger");
            thread.start();
        }

        long slowestMillis() {
            return TimeUnit.NANOSECONDS.toMillis(slowestNanos.get());
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while stopping the other client", e);
            }
            if (failure != null) {
                fail("the other client's command failed", failure);
            }
            assertTrue(rounds.get() > 10, "the other client made only " + rounds.get() + " rounds");
            assertTrue(slowestMillis() < MAX_ROUND_MILLIS, "the other client waited " + slowestMillis()
                    + " ms for one PING and GET");
        }
    }

    @Test
    void millionArgumentRequestLeavesTheOtherClientResponsive() throws Exception {
        byte[][] args = new byte[ARGS][];
        args[0] = "RPUSH".getBytes(StandardCharsets.US_ASCII);
        args[1] = listKey.getBytes(StandardCharsets.UTF_8);
        byte[] element = {'e'};
        for (int i = 2; i < ARGS; i++) {
            args[i] = element;
        }
        byte[] request = RedisTestConnection.command(args);
        long elapsed;
        Pinger pinger = new Pinger();
        try (RedisTestConnection big = RedisTestConnection.open("127.0.0.1", proxy.port(), Duration.ofSeconds(120))) {
            Thread.sleep(100); // the pinger is going
            long start = System.nanoTime();
            big.sendRaw(request);
            assertEquals((long) (ARGS - 2), big.readReply());
            elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Thread.sleep(200);
            assertEquals("PONG", big.call("PING"));
            assertEquals(1L, big.call("DEL", listKey));
        } finally {
            pinger.close();
        }
        System.out.println("LoopFairnessIT: " + ARGS + "-argument RPUSH took " + elapsed
                + " ms; the other client's slowest PING+GET took " + pinger.slowestMillis() + " ms");
    }

    @Test
    void megabytesOfBlankLinesLeaveTheOtherClientResponsive() throws Exception {
        byte[] blank = new byte[8 * 1024 * 1024];
        Arrays.fill(blank, (byte) '\n');
        Pinger pinger = new Pinger();
        long elapsed;
        try (RedisTestConnection idle = RedisTestConnection.open("127.0.0.1", proxy.port(), Duration.ofSeconds(120))) {
            Thread.sleep(100);
            long start = System.nanoTime();
            idle.sendRaw(blank);
            idle.sendRaw("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("PONG", idle.readReply());
            elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        } finally {
            pinger.close();
        }
        assertNotEquals(0, pinger.rounds.get());
        System.out.println("LoopFairnessIT: 8 MiB of blank lines took " + elapsed
                + " ms; the other client's slowest PING+GET took " + pinger.slowestMillis() + " ms");
    }
}
