package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.util.internal.PlatformDependent;
import io.rcproxy.cluster.internal.memory.BufferBudget;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Values up to the buffer budget, several at once: each command completes or gets a clear {@code -ERR}, no
 * connection is reset, the budget goes back to zero, and a bystander's small commands keep working.
 */
@ExtendWith(RedisClusterExtension.class)
class LargeValuesIT {

    private static final int MIB = 1024 * 1024;
    private static final long BUDGET = 64L * MIB;
    private static final Duration SLOW_READS = Duration.ofSeconds(60);

    private static RunningProxy proxy;

    @BeforeAll
    static void startProxy(RedisClusterProcess cluster) {
        proxy = RunningProxy.start(cluster, Map.of("proxy.limits.buffer-memory", "64M"));
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static BufferBudget budget() {
        return proxy.server().client().config().limits().budget();
    }

    private static RedisTestConnection connect() {
        return RedisTestConnection.open("127.0.0.1", proxy.port(), SLOW_READS);
    }

    private static byte[] value(int length, int seed) {
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++) {
            value[i] = (byte) ('a' + (i * 7 + seed) % 26);
        }
        return value;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Waits for the budget to drain: replies are released once the client socket took them. */
    private static void assertBudgetDrains() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (budget().used() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, budget().used(), "bytes still reserved after every command finished");
    }

    private static void assertBufferMemoryError(Object reply, String context) {
        RedisErrorReply error = assertInstanceOf(RedisErrorReply.class, reply, context);
        assertTrue(error.message().startsWith("ERR ") && error.message().contains("buffer memory"),
                context + ": " + error.message());
    }

    /** A client doing small commands the whole time; fails the test on any error or a reply slower than 2 s. */
    private static final class Bystander implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong slowestNanos = new AtomicLong();
        private final Thread thread;
        private volatile Throwable failure;

        Bystander() {
            thread = new Thread(() -> {
                try (RedisTestConnection c = RedisTestConnection.open("127.0.0.1", proxy.port(), Duration.ofSeconds(5))) {
                    for (long i = 0; !stop.get() && i < 1_000_000; i++) {
                        long start = System.nanoTime();
                        assertEquals("PONG", c.call("PING"));
                        assertEquals("OK", c.call("SET", "bystander:" + (i % 16), "v" + i));
                        assertEquals("v" + i, new String((byte[]) c.call("GET", "bystander:" + (i % 16)),
                                StandardCharsets.UTF_8));
                        slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                        calls.incrementAndGet();
                        Thread.sleep(2);
                    }
                } catch (Throwable t) {
                    failure = t;
                }
            }, "bystander");
            thread.start();
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while stopping the other client", e);
            }
            if (failure != null) {
                fail("the bystander client failed", failure);
            }
            assertTrue(calls.get() > 0, "the bystander made no calls");
            assertTrue(slowestNanos.get() < TimeUnit.SECONDS.toNanos(2),
                    "slowest bystander round " + TimeUnit.NANOSECONDS.toMillis(slowestNanos.get()) + " ms");
        }
    }

    @Test
    void concurrentLargeValuesEachCompleteOrGetAClearError() throws Exception {
        int clients = 4;
        int length = 25 * MIB; // four of them do not fit in 64 MiB at once; two do
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<RedisTestConnection> connections = new ArrayList<>();
        try (Bystander bystander = new Bystander()) {
            for (int i = 0; i < clients; i++) {
                connections.add(connect());
            }
            List<Future<Object>> sets = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                RedisTestConnection c = connections.get(i);
                byte[] key = bytes("large:" + i);
                byte[] v = value(length, i);
                sets.add(pool.submit(() -> c.callRaw(bytes("SET"), key, v)));
            }
            List<Integer> stored = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Object reply = sets.get(i).get(120, TimeUnit.SECONDS); // a reset would throw here
                if ("OK".equals(reply)) {
                    stored.add(i);
                } else {
                    assertBufferMemoryError(reply, "SET large:" + i);
                }
            }
            assertTrue(!stored.isEmpty(), "no SET got through");
            System.out.println("LargeValuesIT: " + stored.size() + " of " + clients + " concurrent 25 MiB SETs stored");

            List<Future<Object>> gets = new ArrayList<>();
            for (int i : stored) {
                RedisTestConnection c = connections.get(i);
                gets.add(pool.submit(() -> c.callRaw("GET", "large:" + i)));
            }
            int served = 0;
            for (int n = 0; n < stored.size(); n++) {
                int i = stored.get(n);
                Object reply = gets.get(n).get(120, TimeUnit.SECONDS);
                if (reply instanceof byte[] got) {
                    assertArrayEquals(value(length, i), got, "GET large:" + i);
                    served++;
                } else {
                    assertBufferMemoryError(reply, "GET large:" + i);
                }
            }
            assertTrue(served > 0, "no GET was served");
            for (RedisTestConnection c : connections) {
                assertEquals("PONG", c.call("PING"), "every connection stays usable");
            }
        } finally {
            connections.forEach(RedisTestConnection::close);
            pool.shutdownNow();
        }
        assertBudgetDrains();
    }

    @Test
    void crossSlotMsetAndMgetOfLargeValuesShareThemInsteadOfCopying() throws Exception {
        int length = 3 * MIB;
        List<byte[]> args = new ArrayList<>(List.of(bytes("MSET")));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            keys.add("spread:" + i); // no hash tag: the keys land on several masters
            args.add(bytes("spread:" + i));
            args.add(value(length, i));
        }
        try (RedisTestConnection c = connect()) {
            assertEquals("OK", c.call(args.toArray(new byte[0][])));
            Object reply = c.call(withCommand("MGET", keys));
            List<?> values = assertInstanceOf(List.class, reply);
            assertEquals(6, values.size());
            for (int i = 0; i < 6; i++) {
                assertArrayEquals(value(length, i), (byte[]) values.get(i), "MGET value " + i);
            }
        }
        assertBudgetDrains();
    }

    private static byte[][] withCommand(String command, List<String> keys) {
        byte[][] args = new byte[keys.size() + 1][];
        args[0] = bytes(command);
        for (int i = 0; i < keys.size(); i++) {
            args[i + 1] = bytes(keys.get(i));
        }
        return args;
    }

    @Test
    void clientLeavingMidRequestOrMidReplyGivesItsBytesBack() throws Exception {
        int length = 30 * MIB;
        byte[] big = value(length, 9);
        try (RedisTestConnection c = connect()) {
            assertEquals("OK", c.call(bytes("SET"), bytes("leave:big"), big));
        }
        try (RedisTestConnection uploader = connect()) {
            byte[] request = RedisTestConnection.command(bytes("SET"), bytes("leave:half"), big);
            uploader.sendRaw(Arrays.copyOf(request, request.length / 2));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (budget().used() < length && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(length, budget().used(), "half a request holds its whole reservation");
        } // leaves in the middle of the bulk
        assertBudgetDrains();
        for (int i = 0; i < 3; i++) {
            try (RedisTestConnection reader = connect()) {
                reader.sendRaw(RedisTestConnection.command("GET", "leave:big"));
                Thread.sleep(20 * i); // at different points of the reply's journey
            } // leaves without reading the 30 MiB reply
        }
        assertBudgetDrains();
        try (RedisTestConnection c = connect()) {
            assertEquals(0L, c.call("EXISTS", "leave:half"));
            assertEquals(1L, c.call("DEL", "leave:big"));
        }
    }

    @Test
    void requestLargerThanTheBudgetGetsAnErrorAndTheConnectionStaysUsable() throws Exception {
        try (RedisTestConnection c = connect(); Bystander bystander = new Bystander()) {
            byte[] half = value(40 * MIB, 3);
            Object reply = c.callRaw(bytes("MSET"), bytes("{huge}a"), half, bytes("{huge}b"), half);
            RedisErrorReply error = assertInstanceOf(RedisErrorReply.class, reply);
            assertEquals("ERR request with " + (80L * MIB) + " bytes of bulk data exceeds the proxy's buffer memory"
                    + " of " + BUDGET + " bytes", error.message());
            assertEquals("PONG", c.call("PING"));
            assertEquals(0L, c.call("EXISTS", "{huge}a"));
            assertEquals("OK", c.call("SET", "after:huge", "fine"));
        }
        assertBudgetDrains();
    }

    @Test
    void valueAboveMaxBulkLengthGetsAnErrorOnceSentAndTheConnectionStaysUsable() throws Exception {
        int length = 100 * MIB; // max-bulk-length is auto: the 64 MiB budget
        try (RedisTestConnection c = connect()) {
            c.sendRaw(bytes("*3\r\n$3\r\nSET\r\n$9\r\ntoo:large\r\n$" + length + "\r\n"));
            byte[] chunk = value(MIB, 1);
            for (int i = 0; i < length / MIB; i++) {
                c.sendRaw(chunk); // all of it is read and dropped: no reset half-way through the upload
            }
            c.sendRaw(bytes("\r\n"));
            RedisErrorReply error = assertInstanceOf(RedisErrorReply.class, c.readReply());
            assertEquals("ERR request with a bulk of " + length + " bytes exceeds the proxy's max-bulk-length of "
                    + BUDGET + " bytes", error.message());
            assertEquals("PONG", c.call("PING"));
            assertEquals(0L, c.call("EXISTS", "too:large"));
        }
        assertBudgetDrains();
    }

    @Test
    void replyThatDoesNotFitIsRefusedWithoutDisturbingItsConnection() throws Exception {
        int length = 40 * MIB;
        byte[] big = value(length, 5);
        try (RedisTestConnection writer = connect(); RedisTestConnection holder = connect();
             RedisTestConnection reader = connect()) {
            assertEquals("OK", writer.call(bytes("SET"), bytes("reply:big"), big));
            // Another client's request for 40 MiB arrives slowly: its reservation leaves 24 MiB free.
            byte[] slow = RedisTestConnection.command(bytes("SET"), bytes("reply:slow"), big);
            holder.sendRaw(Arrays.copyOf(slow, MIB));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (budget().used() < length && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(length, budget().used(), "the slow request's bulk is reserved");

            assertEquals("OK", reader.call("SET", "reply:small", "s"));
            reader.sendRaw(RedisTestConnection.command("GET", "reply:big"));
            reader.sendRaw(RedisTestConnection.command("GET", "reply:small"));
            Object refused = reader.readReply();
            assertBufferMemoryError(refused, "GET reply:big while the budget is taken");
            assertEquals("s", new String((byte[]) reader.readReply(), StandardCharsets.UTF_8),
                    "the next reply on the same backend connection is still in step");

            holder.sendRaw(Arrays.copyOfRange(slow, MIB, slow.length));
            assertEquals("OK", holder.readReply());
            assertArrayEquals(big, (byte[]) reader.call("GET", "reply:big"), "served once memory is free");
        }
        assertBudgetDrains();
    }

    @Test
    void threeConcurrent60MiBValuesCostAbout60MiBEach(RedisClusterProcess cluster) throws Exception {
        int length = 60 * MIB;
        try (RunningProxy roomy = RunningProxy.start(cluster, Map.of("proxy.limits.buffer-memory", "256M"))) {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            AtomicBoolean sampling = new AtomicBoolean(true);
            long before = directMemoryUsed();
            AtomicLong peak = new AtomicLong(before);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    peak.accumulateAndGet(directMemoryUsed(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            try {
                List<Future<Object>> sets = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    int seed = i;
                    sets.add(pool.submit(() -> {
                        try (RedisTestConnection c = RedisTestConnection.open("127.0.0.1", roomy.port(), SLOW_READS)) {
                            return c.callRaw(bytes("SET"), bytes("sixty:" + seed), value(length, seed));
                        }
                    }));
                }
                for (Future<Object> set : sets) {
                    assertEquals("OK", set.get(120, TimeUnit.SECONDS));
                }
            } finally {
                sampling.set(false);
                sampler.join(5_000);
                pool.shutdownNow();
            }
            long grew = peak.get() - before;
            System.out.println("LargeValuesIT: 3 concurrent 60 MiB SETs: direct memory peaked "
                    + grew / MIB + " MiB above the " + before / MIB + " MiB in use before");
            // Before the budget's cumulator a 60 MiB request briefly needed about 128 MiB (384 MiB for three).
            assertTrue(grew < 3L * length * 3 / 2, "direct memory grew by " + grew / MIB + " MiB");
        }
    }

    /** Direct memory in use: the JDK's count, or Netty's when it allocates without the JDK's cleaner. */
    private static long directMemoryUsed() {
        long jdk = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                jdk = pool.getMemoryUsed();
            }
        }
        return Math.max(jdk, PlatformDependent.usedDirectMemory());
    }
}
