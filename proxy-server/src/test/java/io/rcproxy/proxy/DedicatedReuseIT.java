package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.masterOf;
import static io.rcproxy.proxy.PinnedTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
    /** Asked once: asking the cluster for its masters opens a connection to a node, which would be counted. */
    private static List<Integer> masters;

    @BeforeAll
    static void startProxy(RedisClusterProcess c) {
        cluster = c;
        masters = c.masterPorts();
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
        assertTrue(opened <= masters.size(), "opened " + opened + " backend connections");
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
        assertTrue(opened <= masters.size(), "opened " + opened + " backend connections");
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
        // A connection per client per master at the most, as long as the idle pool absorbs the swings: each
        // master's count is its peak of transactions in flight at once. Measured 57-77 on an idle machine and
        // 128 on a loaded one (where stalls bunch transactions on one master past the idle bound of 16);
        // each transaction used to open its own, 3,201 here.
        assertTrue(opened <= (long) threads * masters.size(), "opened " + opened + " backend connections");
    }

    @Test
    void aCleanExecHandsTheSameConnectionToTheNextTransaction() {
        try (RedisTestConnection c = proxy.connect()) {
            transaction(c, "{reuse-same}k", "1");
            long before = connectionsReceived();
            for (int i = 0; i < 20; i++) {
                transaction(c, "{reuse-same}k", "v" + i);
            }
            assertEquals(0, openedSince(before), "every later transaction ran on the pooled connection");
            assertTrue(AdminHttp.metric(proxy.metricsPort(), "redis_proxy_backend_dedicated_reused_total", Map.of())
                    >= 20);
            assertTrue(AdminHttp.metric(proxy.metricsPort(), "redis_proxy_backend_idle_dedicated_connections",
                    Map.of("node", "127.0.0.1:" + masterOf(cluster, "{reuse-same}k"))) >= 1);
        }
    }

    @Test
    void aClientLeavingMidTransactionClosesItsConnectionAndLeavesNoStaleWatchOrMulti() throws Exception {
        String key = "{reuse-abort}k";
        int master = masterOf(cluster, key);
        RedisTestConnection leaver = proxy.connect();
        assertEquals("OK", leaver.call("WATCH", key));
        assertEquals("OK", leaver.call("MULTI"));
        assertEquals("QUEUED", leaver.call("SET", key, "never"));
        Set<Long> inMulti = clientIds(master, l -> l.contains(" multi=1 "));
        assertEquals(1, inMulti.size(), "the master shows the open transaction");
        leaver.close();
        assertTrue(PinnedTesting.eventually(() -> !clientIds(master, l -> true).containsAll(inMulti), 5000),
                "the connection that held MULTI and WATCH is closed, not pooled");
        try (RedisTestConnection next = proxy.connect(); RedisTestConnection other = proxy.connect()) {
            assertEquals("OK", other.call("SET", key, "touched")); // a stale WATCH on the key would abort EXEC
            assertEquals("OK", next.call("MULTI")); // a stale MULTI would answer "MULTI calls can not be nested"
            assertEquals("QUEUED", next.call("SET", key, "mine"));
            assertEquals(List.of("OK"), next.call("EXEC"));
            assertEquals("mine", text(next.call("GET", key)));
        }
    }

    @Test
    void aPinnedConnectionLostMidTransactionIsNotReused() throws Exception {
        String key = "{reuse-lost}k";
        int master = masterOf(cluster, key);
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("WATCH", key));
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("SET", key, "never"));
            Set<Long> inMulti = clientIds(master, l -> l.contains(" multi=1 "));
            assertEquals(1, inMulti.size());
            try (RedisTestConnection node = cluster.connect(master)) {
                assertEquals(1L, node.call("CLIENT", "KILL", "ID", Long.toString(inMulti.iterator().next())));
            }
            Thread.sleep(200); // the proxy sees the connection close
            assertEquals("EXECABORT Transaction discarded because of previous errors.", PinnedTesting.error(c.callRaw("EXEC")));
            transaction(c, key, "after"); // on another connection: the killed one never came back
            assertEquals("after", text(c.call("GET", key)));
        }
    }

    @Test
    void aTransactionThatSawARedirectClosesItsConnection(@PrivateCluster(masters = 3) RedisClusterProcess own)
            throws Exception {
        String tag = "{reuse-moving}";
        int slot = SlotHash.slot(tag.getBytes(StandardCharsets.UTF_8));
        int source = own.portOwningSlot(slot);
        int target = own.masterPorts().stream().filter(p -> p != source).findFirst().orElseThrow();
        try (RunningProxy p = RunningProxy.start(own, Map.of("proxy.io.event-loops", 1));
             RedisTestConnection c = p.connect();
             RedisTestConnection sourceNode = own.connect(source);
             RedisTestConnection targetNode = own.connect(target)) {
            transaction(c, tag + "here", "1");
            assertEquals(1, idleDedicated(p, source), "a clean transaction left its connection idle");
            assertEquals("OK", targetNode.call("CLUSTER", "SETSLOT", String.valueOf(slot), "IMPORTING",
                    own.nodeId(source)));
            assertEquals("OK", sourceNode.call("CLUSTER", "SETSLOT", String.valueOf(slot), "MIGRATING",
                    own.nodeId(target)));
            assertEquals("OK", c.call("MULTI"));
            // A key the source does not have, in a migrating slot: ASK, which a transaction does not follow.
            assertTrue(PinnedTesting.error(c.callRaw("SET", tag + "absent", "x")).startsWith("ASK "));
            // multi=0: inside MULTI, with the rejected SET not queued
            Set<Long> pinned = clientIdsOn(own, source, l -> l.contains(" multi=0 "));
            assertEquals(1, pinned.size(), "the pooled connection was reused for this transaction");
            assertEquals("EXECABORT Transaction discarded because of previous errors.",
                    PinnedTesting.error(c.callRaw("EXEC")));
            // EXECABORT alone would prove the connection clean; the redirect it saw makes it unknown: closed.
            assertTrue(PinnedTesting.eventually(() -> !clientIdsOn(own, source, l -> true).containsAll(pinned), 5000),
                    "the connection that saw ASK is closed");
            assertEquals(0, idleDedicated(p, source));
        }
    }

    @Test
    void aBlockedClientLeavingClosesItsConnectionSoNothingIsPoppedForIt() throws Exception {
        String queue = "{reuse-left}q";
        int master = masterOf(cluster, queue);
        RedisTestConnection leaver = proxy.connect();
        leaver.call("DEL", queue);
        leaver.sendRaw(RedisTestConnection.command("BRPOP", queue, "0"));
        assertTrue(PinnedTesting.eventually(() -> clientIds(master, DedicatedReuseIT::blocked).size() == 1, 5000),
                "the master shows the blocked BRPOP");
        Set<Long> blocked = clientIds(master, DedicatedReuseIT::blocked);
        leaver.close();
        assertTrue(PinnedTesting.eventually(() -> !clientIds(master, l -> true).containsAll(blocked), 5000),
                "the blocked connection is closed, not pooled");
        try (RedisTestConnection next = proxy.connect()) {
            assertEquals(1L, next.call("LPUSH", queue, "job"));
            assertEquals(List.of(queue, "job"), PinnedTesting.texts(next.call("BRPOP", queue, "1")),
                    "no BRPOP of the client that left is still waiting to take the job");
        }
    }

    @Test
    void resetOutsideMultiUnwatchesBeforeTheConnectionIsReused() {
        String key = "{reuse-reset}k";
        try (RedisTestConnection c = proxy.connect(); RedisTestConnection other = proxy.connect()) {
            transaction(c, key, "0"); // a pooled connection to the master now exists
            assertEquals("OK", c.call("WATCH", key));
            assertEquals("RESET", c.call("RESET"));
            assertEquals("OK", other.call("SET", key, "touched"));
            // Most recently released first: this transaction runs on the connection RESET gave back.
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("SET", key, "mine"));
            assertEquals(List.of("OK"), c.call("EXEC"), "no WATCH survived the RESET");

            assertEquals("OK", c.call("WATCH", key));
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("SET", key, "never"));
            assertEquals("RESET", c.call("RESET"));
            assertEquals("OK", other.call("SET", key, "touched again"));
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("GET", key));
            assertEquals(List.of("touched again"), PinnedTesting.texts(c.call("EXEC")),
                    "the queued SET was discarded and no MULTI or WATCH survived");
        }
    }

    @Test
    void anIdleConnectionClosedByRedisIsNeverHandedOut() throws Exception {
        String key = "{reuse-killed}k";
        int master = masterOf(cluster, key);
        try (RedisTestConnection c = proxy.connect()) {
            transaction(c, key, "1");
            Set<Long> idle = clientIds(master, l -> l.contains(" cmd=exec "));
            assertTrue(!idle.isEmpty(), "a pooled connection that last ran EXEC");
            try (RedisTestConnection node = cluster.connect(master)) {
                for (long id : idle) {
                    node.call("CLIENT", "KILL", "ID", Long.toString(id));
                }
            }
            assertTrue(PinnedTesting.eventually(() -> idleDedicated(proxy, master) == 0, 5000),
                    "the pool dropped the killed connections");
            for (int i = 0; i < 5; i++) {
                transaction(c, key, "after" + i); // fails if a dead connection were handed out
            }
        }
    }

    @Test
    void theIdleBoundAndTheIdleTimeoutCloseConnections() throws Exception {
        String key = "{reuse-bound}";
        int master = masterOf(cluster, key + "k0");
        try (RunningProxy small = RunningProxy.start(cluster, Map.of("proxy.io.event-loops", 1,
                "proxy.cluster.dedicated-pool.max-idle-per-node", 2,
                "proxy.cluster.dedicated-pool.idle-timeout", "1500ms"))) {
            Set<Long> before = clientIds(master, l -> true);
            List<RedisTestConnection> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    RedisTestConnection c = small.connect();
                    clients.add(c);
                    assertEquals("OK", c.call("WATCH", key + "k" + i)); // five pinned at once
                }
                Set<Long> pinned = clientIds(master, l -> l.contains(" cmd=watch "));
                pinned.removeAll(before);
                assertEquals(5, pinned.size(), "five dedicated connections while five WATCHes are open");
                for (RedisTestConnection c : clients) {
                    assertEquals("OK", c.call("UNWATCH"));
                }
                assertEquals(2, idleDedicated(small, master), "two kept idle");
                assertTrue(PinnedTesting.eventually(() -> alive(master, pinned) == 2, 1000),
                        "the three beyond the bound are closed; alive: " + alive(master, pinned));
                assertTrue(PinnedTesting.eventually(() -> alive(master, pinned) == 0, 5000),
                        "the idle ones close after the idle timeout");
                assertEquals(0, idleDedicated(small, master));
            } finally {
                clients.forEach(RedisTestConnection::close);
            }
        }
    }

    private static void transaction(RedisTestConnection c, String key, String value) {
        assertEquals("OK", c.call("WATCH", key));
        assertEquals("OK", c.call("MULTI"));
        assertEquals("QUEUED", c.call("SET", key, value));
        assertEquals(List.of("OK"), c.call("EXEC"));
    }

    /** What the proxy's metrics say about its idle dedicated connections to {@code port}; none is 0. */
    private static double idleDedicated(RunningProxy p, int port) {
        double idle = AdminHttp.metric(p.metricsPort(), "redis_proxy_backend_idle_dedicated_connections",
                Map.of("node", "127.0.0.1:" + port));
        return Double.isNaN(idle) ? 0 : idle;
    }

    private static boolean blocked(String clientListLine) {
        return clientListLine.contains(" flags=b ");
    }

    private static long alive(int port, Set<Long> ids) {
        Set<Long> now = clientIds(port, l -> true);
        return ids.stream().filter(now::contains).count();
    }

    /** The ids of a master's clients whose CLIENT LIST line satisfies {@code filter}. */
    private static Set<Long> clientIds(int port, Predicate<String> filter) {
        return clientIdsOn(cluster, port, filter);
    }

    private static Set<Long> clientIdsOn(RedisClusterProcess on, int port, Predicate<String> filter) {
        Set<Long> ids = new HashSet<>();
        try (RedisTestConnection node = on.connect(port)) {
            for (String line : node.callText("CLIENT", "LIST").split("\n")) {
                if (line.startsWith("id=") && filter.test(line) && !line.contains(" cmd=client|list ")) {
                    ids.add(Long.parseLong(line.substring(3, line.indexOf(' '))));
                }
            }
        }
        return ids;
    }

    /** Backend connections opened since {@code before} (a {@link #connectionsReceived()}), beyond its own. */
    private static long openedSince(long before) {
        return connectionsReceived() - before - masters.size();
    }

    /** Connections the masters have accepted so far; each call opens one to every master itself. */
    private static long connectionsReceived() {
        long total = 0;
        for (int port : masters) {
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
