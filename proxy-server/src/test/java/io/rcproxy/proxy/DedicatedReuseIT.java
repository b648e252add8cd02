package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.masterOf;
import static io.rcproxy.proxy.PinnedTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Transactions and blocking commands reuse their dedicated backend connections, counted on the masters
 * themselves ({@code INFO stats total_connections_received}), and a connection whose state is unknown is
 * never reused. One event loop, so every client shares one idle pool and a reuse (or its absence) shows.
 */
@ExtendWith(RedisClusterExtension.class)
class DedicatedReuseIT {

    private static RunningProxy proxy;
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startProxy(RedisClusterProcess c) {
        cluster = c;
        proxy = RunningProxy.start(c, Map.of("proxy.io.event-loops", 1));
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @Test
    void aThousandTransactionsOpenAFewConnections() {
        long before = connectionsReceived();
        try (RedisTestConnection c = proxy.connect()) {
            for (int i = 0; i < 1000; i++) {
                String key = "{reuse-tx" + (i % 50) + "}n";
                assertEquals("OK", c.call("WATCH", key));
                assertEquals("OK", c.call("MULTI"));
                assertEquals("QUEUED", c.call("INCR", key));
                if (i % 5 == 4) {
                    assertEquals("OK", c.call("DISCARD"));
                } else {
                    assertEquals(1, ((List<?>) c.call("EXEC")).size());
                }
                if (i % 7 == 6) {
                    assertEquals("OK", c.call("WATCH", key));
                    assertEquals("OK", c.call("UNWATCH"));
                }
            }
        }
        long opened = openedSince(before);
        System.out.println("[measure] 1000 transactions, one client: backend connections opened = " + opened);
        assertTrue(opened <= 2 + cluster.masterPorts().size(), "opened " + opened + " backend connections");
    }

    @Test
    void aThousandBrpopsOpenAFewConnections() throws Exception {
        long before = connectionsReceived();
        try (RedisTestConnection c = proxy.connect(); RedisTestConnection pusher = proxy.connect()) {
            for (int i = 0; i < 1000; i++) {
                String queue = "{reuse-q" + (i % 20) + "}q";
                if (i % 3 == 0) {
                    assertNull(c.call("BRPOP", queue, "0.01"), "empty queue: the short timeout answers");
                } else if (i % 3 == 1) {
                    pusher.call("LPUSH", queue, "job" + i);
                    assertEquals(List.of(queue, "job" + i), PinnedTesting.texts(c.call("BRPOP", queue, "1")));
                } else {
                    c.sendRaw(RedisTestConnection.command("BRPOP", queue, "5"));
                    if (i % 30 == 2) {
                        Thread.sleep(5); // now and then the push lands while the BRPOP is blocked
                    }
                    pusher.call("LPUSH", queue, "late" + i);
                    assertEquals(List.of(queue, "late" + i), PinnedTesting.texts(c.readReply()));
                }
            }
        }
        long opened = openedSince(before);
        System.out.println("[measure] 1000 BRPOPs, one client: backend connections opened = " + opened);
        assertTrue(opened <= 2 + cluster.masterPorts().size(), "opened " + opened + " backend connections");
    }

    @Test
    void thirtyTwoThreadsOfTransactionsOpenTensNotThousands() throws Exception {
        int threads = 32;
        int perThread = 100;
        long before = connectionsReceived();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    try (RedisTestConnection c = proxy.connect()) {
                        for (int i = 0; i < perThread; i++) {
                            String key = "{reuse-load" + ((thread * 31 + i) % 64) + "}n";
                            assertEquals("OK", c.call("WATCH", key));
                            assertEquals("OK", c.call("MULTI"));
                            assertEquals("QUEUED", c.call("INCR", key));
                            c.call("EXEC"); // nil when another thread touched the key: fine
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long opened = openedSince(before);
        System.out.println("[measure] " + threads * perThread + " transactions on " + threads
                + " threads: backend connections opened = " + opened);
        // At most one idle pool's worth per master plus the peak in use at once: tens, where each
        // transaction used to open its own (3,200 here).
        assertTrue(opened < 100, "opened " + opened + " backend connections");
    }

    /** Backend connections opened since {@code before} (a {@link #connectionsReceived()}), beyond its own. */
    private static long openedSince(long before) {
        return connectionsReceived() - before - cluster.masterPorts().size();
    }

    /** Connections the masters have accepted so far; each call opens one to every master itself. */
    private static long connectionsReceived() {
        long total = 0;
        for (int port : cluster.masterPorts()) {
            try (RedisTestConnection node = cluster.connect(port)) {
                String stats = node.callText("INFO", "stats");
                for (String line : stats.split("\r?\n")) {
                    if (line.startsWith("total_connections_received:")) {
                        total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
            }
        }
        return total;
    }
}
