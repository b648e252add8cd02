package io.rcproxy.proxy.tracking;

import static io.rcproxy.proxy.tracking.Frames.OK;
import static io.rcproxy.proxy.tracking.Frames.invalidate;
import static io.rcproxy.proxy.tracking.Frames.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.proxy.AdminHttp;
import io.rcproxy.proxy.RunningProxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Client-side caching through the proxy against a real cluster: invalidations for keys changed through the
 * proxy, through another proxy and directly on the master; BCAST with prefixes; NOLOOP; OPTIN with CLIENT
 * CACHING; RESP2 clients through REDIRECT to a connection subscribed to {@code __redis__:invalidate}.
 */
@ExtendWith(RedisClusterExtension.class)
class TrackingIT {

    private static RunningProxy proxy;
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startProxy(RedisClusterProcess c) {
        cluster = c;
        proxy = RunningProxy.start(c, Map.of());
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    private static RawConnection resp3Tracking(String... options) {
        RawConnection c = new RawConnection(proxy.port());
        assertTrue(c.call("HELLO", "3").startsWith("%7\r\n"));
        String[] command = new String[3 + options.length];
        command[0] = "CLIENT";
        command[1] = "TRACKING";
        command[2] = "ON";
        System.arraycopy(options, 0, command, 3, options.length);
        assertEquals(OK, c.call(command));
        return c;
    }

    private static int masterOf(String key) {
        return cluster.portOwningSlot(SlotHash.slot(key.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aKeyChangedThroughTheProxyIsInvalidated() {
        try (RawConnection reader = resp3Tracking(); RawConnection writer = new RawConnection(proxy.port())) {
            reader.call("GET", "tr:a");
            assertEquals(OK, writer.call("SET", "tr:a", "1"));
            assertEquals(invalidate("tr:a"), reader.read());
            // Invalidated once: the next change is not reported until the key is read again.
            writer.call("SET", "tr:a", "2");
            assertNull(reader.poll(300));
            assertEquals("$1\r\n2\r\n", reader.call("GET", "tr:a"));
            writer.call("DEL", "tr:a");
            assertEquals(invalidate("tr:a"), reader.read());
        }
    }

    @Test
    void aKeyChangedDirectlyOnTheMasterIsInvalidated() {
        try (RawConnection reader = resp3Tracking(); RawConnection master = new RawConnection(masterOf("tr:b"))) {
            reader.call("GET", "tr:b");
            assertEquals(OK, master.call("SET", "tr:b", "direct"));
            assertEquals(invalidate("tr:b"), reader.read());
        }
    }

    @Test
    void aKeyChangedThroughAnotherProxyIsInvalidated() {
        try (RunningProxy other = RunningProxy.start(cluster, Map.of());
             RawConnection reader = resp3Tracking(); RawConnection writer = new RawConnection(other.port())) {
            reader.call("MGET", "tr:c1", "tr:c2");
            writer.call("SET", "tr:c2", "x");
            assertEquals(invalidate("tr:c2"), reader.read());
        }
    }

    @Test
    void keysNotReadAreNotReported() {
        try (RawConnection reader = resp3Tracking(); RawConnection writer = new RawConnection(proxy.port())) {
            reader.call("GET", "{tr:d}read");
            writer.call("SET", "{tr:d}other", "1");
            writer.call("SET", "{tr:d}read", "1");
            assertEquals(invalidate("{tr:d}read"), reader.read(), "the key read, and only it");
        }
    }

    @Test
    void broadcastReportsEveryKeyUnderThePrefixes() {
        try (RawConnection reader = resp3Tracking("BCAST", "PREFIX", "bc:", "PREFIX", "bd:");
             RawConnection writer = new RawConnection(proxy.port())) {
            writer.call("SET", "zz{h1}", "1"); // same slot, no prefix: nothing
            writer.call("SET", "bc:{h1}", "1");
            assertEquals(invalidate("bc:{h1}"), reader.read());
            writer.call("MSET", "bd:{h2}x", "1", "other{h2}", "2", "bd:{h2}y", "3");
            assertEquals(invalidate("bd:{h2}x", "bd:{h2}y"), reader.read(), "one batch per prefix");
        }
    }

    @Test
    void aNoloopClientsOwnWriteIsAnsweredInItsProtocol() {
        try (RawConnection reader = resp3Tracking("NOLOOP")) {
            // SET ... GET of a missing key answers nil: RESP3's "_", as Redis sends it on a RESP3 connection.
            assertEquals("_\r\n", reader.call("SET", "nlp:absent", "v", "GET"));
        }
    }

    @Test
    void noloopSkipsTheClientsOwnWrites() {
        try (RawConnection reader = resp3Tracking("NOLOOP"); RawConnection writer = new RawConnection(proxy.port())) {
            reader.call("GET", "nl:a");
            assertEquals(OK, reader.call("SET", "nl:a", "mine"));
            reader.call("GET", "nl:a");
            writer.call("SET", "nl:a", "theirs");
            assertEquals(invalidate("nl:a"), reader.read(), "another client's write only");
        }
        try (RawConnection reader = resp3Tracking(); RawConnection writer = new RawConnection(proxy.port())) {
            reader.call("GET", "nl:b");
            assertEquals(OK, reader.call("SET", "nl:b", "mine"));
            assertEquals(invalidate("nl:b"), reader.read(), "without NOLOOP its own write is reported");
        }
    }

    @Test
    void broadcastNoloopSkipsTheClientsOwnWrites() {
        try (RawConnection reader = resp3Tracking("BCAST", "PREFIX", "bn:", "NOLOOP");
             RawConnection writer = new RawConnection(proxy.port())) {
            assertEquals(OK, reader.call("SET", "bn:{k}", "mine"));
            writer.call("SET", "bn:{k}", "theirs");
            assertEquals(invalidate("bn:{k}"), reader.read());
            assertNull(reader.poll(300));
        }
    }

    @Test
    void optinTracksOnlyReadsAfterCachingYes() {
        try (RawConnection reader = resp3Tracking("OPTIN"); RawConnection writer = new RawConnection(proxy.port())) {
            reader.call("GET", "{oi}a");
            assertEquals(OK, reader.call("CLIENT", "CACHING", "YES"));
            reader.call("GET", "{oi}b");
            reader.call("GET", "{oi}c"); // CACHING YES covered the one command after it
            writer.call("MSET", "{oi}a", "1", "{oi}b", "2", "{oi}c", "3");
            assertEquals(invalidate("{oi}b"), reader.read());
            assertNull(reader.poll(300));
        }
    }

    @Test
    void optoutTracksEverythingButReadsAfterCachingNo() {
        try (RawConnection reader = resp3Tracking("OPTOUT"); RawConnection writer = new RawConnection(proxy.port())) {
            assertEquals(OK, reader.call("CLIENT", "CACHING", "NO"));
            reader.call("GET", "{oo}a");
            reader.call("GET", "{oo}b");
            writer.call("MSET", "{oo}a", "1", "{oo}b", "2");
            assertEquals(invalidate("{oo}b"), reader.read());
        }
    }

    @Test
    void resp2ClientsGetInvalidationsThroughRedirect() {
        try (RawConnection sink = new RawConnection(proxy.port());
             RawConnection reader = new RawConnection(proxy.port());
             RawConnection writer = new RawConnection(proxy.port())) {
            long sinkId = sink.id();
            assertEquals("*3\r\n$9\r\nsubscribe\r\n$20\r\n__redis__:invalidate\r\n:1\r\n",
                    sink.call("SUBSCRIBE", "__redis__:invalidate"));
            assertEquals(OK, reader.call("CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(sinkId)));
            assertEquals(":" + sinkId + "\r\n", reader.call("CLIENT", "GETREDIR"));
            reader.call("GET", "rd:a");
            writer.call("SET", "rd:a", "1");
            assertEquals(message("rd:a"), sink.read());
        }
    }

    @Test
    void redirectTargetsOnOtherEventLoopsGetTheirInvalidations() {
        // Two loops; consecutive connections go to alternate loops, so some trackers and the sink differ.
        try (RunningProxy twoLoops = RunningProxy.start(cluster, Map.of("proxy.io.event-loops", 2));
             RawConnection sink = new RawConnection(twoLoops.port());
             RawConnection resp3Sink = new RawConnection(twoLoops.port());
             RawConnection writer = new RawConnection(twoLoops.port())) {
            long sinkId = sink.id();
            sink.call("SUBSCRIBE", "__redis__:invalidate");
            assertTrue(resp3Sink.call("HELLO", "3").startsWith("%7"));
            long resp3SinkId = resp3Sink.id();
            for (int i = 0; i < 4; i++) {
                try (RawConnection tracker = new RawConnection(twoLoops.port());
                     RawConnection resp3Tracker = new RawConnection(twoLoops.port())) {
                    assertEquals(OK, tracker.call("CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(sinkId)));
                    assertEquals(OK, resp3Tracker.call("CLIENT", "TRACKING", "ON", "REDIRECT",
                            Long.toString(resp3SinkId)));
                    tracker.call("GET", "xl:" + i);
                    resp3Tracker.call("GET", "xl3:" + i);
                    writer.call("SET", "xl:" + i, "1");
                    writer.call("SET", "xl3:" + i, "1");
                    assertEquals(message("xl:" + i), sink.read(), "RESP2 sink, tracker " + i);
                    assertEquals(invalidate("xl3:" + i), resp3Sink.read(), "RESP3 sink, tracker " + i);
                }
            }
        }
    }

    @Test
    void aFullTableEvictsTheOldestKeyWithAnInvalidation() throws Exception {
        try (RunningProxy small = RunningProxy.start(cluster, Map.of("proxy.tracking.max-keys", 2));
             RawConnection reader = new RawConnection(small.port())) {
            assertTrue(reader.call("HELLO", "3").startsWith("%7"));
            assertEquals(OK, reader.call("CLIENT", "TRACKING", "ON"));
            reader.call("GET", "ev:1");
            reader.call("GET", "ev:2");
            assertNull(reader.poll(200));
            reader.send("GET", "ev:3");
            assertEquals(invalidate("ev:1"), reader.read(), "the oldest key makes room, as Redis does");
            String reply = reader.read();
            assertTrue(reply.equals("_\r\n") || reply.equals("$-1\r\n"), "then the GET's reply: " + reply);
            assertEquals(1.0, AdminHttp.metric(small.metricsPort(), "redis_proxy_tracking_evictions_total", Map.of()));
            assertEquals(2.0, AdminHttp.metric(small.metricsPort(), "redis_proxy_tracking_keys", Map.of()));
        }
    }

    @Test
    void clientInfoShowsTrackingFlagsAndTheRedirect() {
        try (RawConnection sink = new RawConnection(proxy.port());
             RawConnection reader = new RawConnection(proxy.port())) {
            long sinkId = sink.id();
            assertTrue(reader.call("CLIENT", "INFO").contains(" flags=N "));
            assertTrue(reader.call("CLIENT", "INFO").contains(" redir=-1 "));
            reader.call("CLIENT", "TRACKING", "ON", "BCAST", "REDIRECT", Long.toString(sinkId));
            String info = reader.call("CLIENT", "INFO");
            assertTrue(info.contains(" flags=tB ") && info.contains(" redir=" + sinkId + " "), info);
        }
    }

    @Test
    void anExpiredKeyIsInvalidated() {
        try (RawConnection reader = resp3Tracking(); RawConnection writer = new RawConnection(proxy.port())) {
            writer.call("SET", "ex:a", "1", "PX", "50");
            reader.call("GET", "ex:a");
            assertEquals(invalidate("ex:a"), reader.read(), "Redis's active expiry deletes it: an invalidation");
        }
    }

    @Test
    void aRedirectTargetThatLeftBreaksTheRedirect() throws Exception {
        try (RawConnection reader = resp3Tracking(); RawConnection writer = new RawConnection(proxy.port())) {
            long goneId;
            try (RawConnection target = new RawConnection(proxy.port())) {
                goneId = target.id();
                assertEquals(OK, reader.call("CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(goneId)));
            }
            reader.call("GET", "rb:a");
            long deadline = System.nanoTime() + 10_000_000_000L;
            // Until the proxy has seen the target leave: an empty list, a verbatim string in RESP3.
            while (!reader.call("CLIENT", "LIST", "ID", Long.toString(goneId)).equals("=4\r\ntxt:\r\n")) {
                assertTrue(System.nanoTime() < deadline, "the redirect target is still listed");
                Thread.sleep(20);
            }
            writer.call("SET", "rb:a", "1");
            assertEquals(">2\r\n$21\r\ntracking-redir-broken\r\n:" + goneId + "\r\n", reader.read());
            assertTrue(reader.call("CLIENT", "TRACKINGINFO").contains("$15\r\nbroken_redirect\r\n"));
        }
    }

    @Test
    void flushallSendsANullInvalidation() {
        try (RawConnection reader = resp3Tracking(); RawConnection master = new RawConnection(masterOf("fl:a"))) {
            reader.call("GET", "fl:a");
            assertEquals(OK, master.call("FLUSHALL"));
            assertEquals(Frames.FLUSH3, reader.read());
        }
    }

    @Test
    void metricsCountTrackedKeysAndInvalidations() throws Exception {
        try (RawConnection reader = resp3Tracking(); RawConnection writer = new RawConnection(proxy.port())) {
            double sentBefore = AdminHttp.metric(proxy.metricsPort(), "redis_proxy_tracking_invalidations_sent_total",
                    Map.of());
            reader.call("GET", "mt:a");
            assertTrue(AdminHttp.metric(proxy.metricsPort(), "redis_proxy_tracking_keys", Map.of()) >= 1);
            String info = writer.call("INFO", "clients", "stats");
            assertTrue(infoField(info, "tracking_clients") >= 1 && infoField(info, "tracking_total_keys") >= 1, info);
            writer.call("SET", "mt:a", "1");
            assertEquals(invalidate("mt:a"), reader.read());
            assertTrue(AdminHttp.metric(proxy.metricsPort(), "redis_proxy_tracking_invalidations_sent_total", Map.of())
                    > sentBefore);
        }
    }

    private static long infoField(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError(name + " missing from INFO: " + info);
    }
}
