package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM drains: readiness turns 503, requests already read get their replies, and no command runs
 * without its reply reaching the client. The in-process test calls {@link ProxyServer#shutdown()}, which
 * is what the signal handler runs; the subprocess test sends a real SIGTERM and wants exit code 0.
 */
@ExtendWith(RedisClusterExtension.class)
class GracefulShutdownIT {

    private static String keyOn(RedisClusterProcess cluster, int port, boolean onIt, String prefix) {
        for (int i = 0; ; i++) {
            String key = prefix + i;
            boolean owned = cluster.portOwningSlot(SlotHash.slot(key.getBytes(StandardCharsets.UTF_8))) == port;
            if (owned == onIt) {
                return key;
            }
        }
    }

    /**
     * Pipelines batches of INCR on its own key until the proxy closes the connection. Each reply must be
     * the next integer, so {@link #replies} is both the count of replies seen and the value Redis must hold.
     */
    private static final class Hammer extends Thread {
        final String key;
        final RedisTestConnection connection;
        final AtomicLong replies = new AtomicLong();
        volatile String wrongReply;

        Hammer(RunningProxy proxy, String key) {
            super("hammer-" + key);
            this.key = key;
            this.connection = proxy.connect();
        }

        @Override
        public void run() {
            byte[] one = RedisTestConnection.command("INCR", key);
            byte[] batch = new byte[one.length * 50];
            for (int i = 0; i < 50; i++) {
                System.arraycopy(one, 0, batch, i * one.length, one.length);
            }
            try {
                while (true) {
                    connection.sendRaw(batch);
                    for (int i = 0; i < 50; i++) {
                        Object reply = connection.readReply();
                        long expected = replies.get() + 1;
                        if (!Long.valueOf(expected).equals(reply)) {
                            wrongReply = "expected " + expected + ", got " + reply;
                            return;
                        }
                        replies.set(expected);
                    }
                }
            } catch (RuntimeException closedByProxy) {
                // the drain closed the connection
            } finally {
                connection.close();
            }
        }
    }

    @Test
    void requestsReadBeforeShutdownGetTheirRepliesAndReadinessIs503MeanWhile(RedisClusterProcess cluster)
            throws Exception {
        int paused = cluster.masterPorts().get(0);
        String slowKey = keyOn(cluster, paused, true, "drain:slow:");
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.shutdown.grace-period", "10s"));
             RedisTestConnection slow = proxy.connect()) {
            int metricsPort = proxy.metricsPort();
            List<Hammer> hammers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                hammers.add(new Hammer(proxy, keyOn(cluster, paused, false, "drain:h" + i + ":")));
            }
            hammers.forEach(Thread::start);

            // 200 writes held up by a paused master: in flight when the shutdown starts.
            try (RedisTestConnection direct = cluster.connect(paused)) {
                direct.call("CLIENT", "PAUSE", "1500", "WRITE");
            }
            ByteArrayBatch pipeline = new ByteArrayBatch();
            for (int i = 0; i < 200; i++) {
                pipeline.add(RedisTestConnection.command("INCR", slowKey));
            }
            slow.sendRaw(pipeline.bytes());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (AdminHttp.metric(metricsPort, "redis_proxy_inflight_requests", Map.of()) < 200) {
                assertTrue(System.nanoTime() < deadline, "the 200 INCRs never reached the paused master");
                Thread.sleep(10);
            }

            AtomicBoolean stopped = new AtomicBoolean();
            Thread shutdown = new Thread(() -> {
                proxy.server().shutdown();
                stopped.set(true);
            }, "test-shutdown");
            long start = System.nanoTime();
            shutdown.start();
            boolean saw503 = false;
            while (!stopped.get() && !saw503) {
                try {
                    AdminHttp.Response ready = AdminHttp.get(metricsPort, "/health/ready");
                    saw503 = ready.status() == 503 && ready.body().contains("shutting down");
                } catch (RuntimeException listenerGone) {
                    break;
                }
            }
            assertTrue(saw503, "readiness must be 503 while draining");

            for (long i = 1; i <= 200; i++) {
                assertEquals(i, slow.readReply(), "reply #" + i + " of the paused pipeline");
            }
            assertTrue(slow.isClosedByPeer(), "closed once its replies are out");
            shutdown.join(TimeUnit.SECONDS.toMillis(15));
            assertTrue(stopped.get());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 9000, "drain took " + millis + " ms; the grace period is 10 s");

            for (Hammer hammer : hammers) {
                hammer.join(TimeUnit.SECONDS.toMillis(10));
                assertEquals(null, hammer.wrongReply, hammer.key);
                assertTrue(hammer.replies.get() > 0, hammer.key + " made no progress");
                int owner = cluster.portOwningSlot(SlotHash.slot(hammer.key.getBytes(StandardCharsets.UTF_8)));
                try (RedisTestConnection direct = cluster.connect(owner)) {
                    String executed = direct.callText("GET", hammer.key);
                    assertEquals(hammer.replies.get(), Long.parseLong(executed),
                            hammer.key + ": every INCR Redis ran must have had its reply delivered");
                }
            }
        }
    }

    @Test
    void sigtermDrainsAndExitsZero(RedisClusterProcess cluster, @TempDir Path dir) throws Exception {
        int port = RunningProxy.freePort();
        int metricsPort = RunningProxy.freePort();
        Path config = dir.resolve("proxy.conf");
        Files.writeString(config, "proxy.metrics.port = " + metricsPort + "\nproxy.shutdown.grace-period = 5s\n");
        Path log = dir.resolve("proxy.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.rcproxy.proxy.ProxyMain", "--port", String.valueOf(port),
                "--seeds", String.join(",", cluster.seeds()), "--event-loops", "2", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!accepts(port)) {
                assertTrue(process.isAlive(), "proxy exited early:\n" + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "proxy did not start:\n" + Files.readString(log));
                Thread.sleep(100);
            }
            AtomicLong replies = new AtomicLong();
            Thread client = new Thread(() -> {
                try (RedisTestConnection c = RedisTestConnection.open("127.0.0.1", port)) {
                    while (true) {
                        c.call("INCR", "sigterm:counter");
                        replies.incrementAndGet();
                    }
                } catch (RuntimeException closedByProxy) {
                    // expected once the proxy drains
                }
            }, "sigterm-client");
            client.start();
            while (replies.get() < 100) {
                Thread.sleep(10);
            }
            process.destroy(); // SIGTERM on Linux
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "proxy did not exit:\n" + Files.readString(log));
            client.join(TimeUnit.SECONDS.toMillis(10));
            String output = Files.readString(log);
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("SIGTERM received"), output);
            assertTrue(output.contains("proxy stopped"), output);
        } finally {
            process.destroyForcibly();
        }
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Concatenates encoded commands into one pipeline. */
    private static final class ByteArrayBatch {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void add(byte[] command) {
            out.writeBytes(command);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
