package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.error;
import static io.rcproxy.proxy.PinnedTesting.text;
import static io.rcproxy.proxy.PinnedTesting.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE through the proxy, on dedicated connections. */
@ExtendWith(RedisClusterExtension.class)
class PubSubIT {

    private static RunningProxy proxy;
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startProxy(RedisClusterProcess c) {
        cluster = c;
        proxy = RunningProxy.start(c, Map.of("proxy.limits.pubsub-output-buffer", 65536));
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @Test
    void subscribersReceiveWhatIsPublished() {
        try (RedisTestConnection sub = proxy.connect(); RedisTestConnection pub = proxy.connect()) {
            sub.sendRaw(RedisTestConnection.command("SUBSCRIBE", "ps:news", "ps:sport"));
            assertEquals(List.of("subscribe", "ps:news", "1"), texts(sub.readReply()));
            assertEquals(List.of("subscribe", "ps:sport", "2"), texts(sub.readReply()));
            pub.call("PUBLISH", "ps:news", "hello");
            assertEquals(List.of("message", "ps:news", "hello"), texts(sub.readReply()));
            pub.call("PUBLISH", "ps:sport", "goal");
            assertEquals(List.of("message", "ps:sport", "goal"), texts(sub.readReply()));
        }
    }

    @Test
    void patternSubscriptionsReceiveMatchingChannels() {
        try (RedisTestConnection sub = proxy.connect(); RedisTestConnection pub = proxy.connect()) {
            sub.sendRaw(RedisTestConnection.command("PSUBSCRIBE", "pp:*"));
            assertEquals(List.of("psubscribe", "pp:*", "1"), texts(sub.readReply()));
            pub.call("PUBLISH", "pp:a", "x");
            assertEquals(List.of("pmessage", "pp:*", "pp:a", "x"), texts(sub.readReply()));
        }
    }

    @Test
    void shardChannelsGoToTheirSlotsMaster() {
        try (RedisTestConnection sub = proxy.connect(); RedisTestConnection pub = proxy.connect()) {
            sub.sendRaw(RedisTestConnection.command("SSUBSCRIBE", "{sh1}orders"));
            assertEquals(List.of("ssubscribe", "{sh1}orders", "1"), texts(sub.readReply()));
            assertEquals(1L, pub.call("SPUBLISH", "{sh1}orders", "o1"));
            assertEquals(List.of("smessage", "{sh1}orders", "o1"), texts(sub.readReply()));
            sub.sendRaw(RedisTestConnection.command("SUNSUBSCRIBE"));
            assertEquals(List.of("sunsubscribe", "{sh1}orders", "0"), texts(sub.readReply()));
            assertEquals("OK", sub.call("SET", "{sh1}k", "v"), "back to normal mode");
        }
    }

    @Test
    void subscriberModeAllowsOnlySubscriptionCommandsUntilUnsubscribed() {
        try (RedisTestConnection sub = proxy.connect()) {
            sub.sendRaw(RedisTestConnection.command("SUBSCRIBE", "ps:mode"));
            assertEquals(List.of("subscribe", "ps:mode", "1"), texts(sub.readReply()));
            assertEquals("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
                    + "are allowed in this context", error(sub.callRaw("GET", "k")));
            assertEquals(List.of("pong", ""), texts(sub.callRaw("PING")));
            sub.sendRaw(RedisTestConnection.command("UNSUBSCRIBE"));
            assertEquals(List.of("unsubscribe", "ps:mode", "0"), texts(sub.readReply()));
            assertEquals("PONG", sub.call("PING"));
            assertEquals("OK", sub.call("SET", "ps:k", "v"));
        }
    }

    @Test
    void aPipelineThroughSubscribeAndUnsubscribeKeepsItsOrder() {
        try (RedisTestConnection c = proxy.connect()) {
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            pipeline.writeBytes(RedisTestConnection.command("SET", "ps:p", "1"));
            pipeline.writeBytes(RedisTestConnection.command("SUBSCRIBE", "ps:pipe"));
            pipeline.writeBytes(RedisTestConnection.command("UNSUBSCRIBE", "ps:pipe"));
            pipeline.writeBytes(RedisTestConnection.command("GET", "ps:p"));
            c.sendRaw(pipeline.toByteArray());
            assertEquals("OK", c.readReply());
            assertEquals(List.of("subscribe", "ps:pipe", "1"), texts(c.readReply()));
            assertEquals(List.of("unsubscribe", "ps:pipe", "0"), texts(c.readReply()));
            assertEquals("1", text(c.readReply()));
        }
    }

    @Test
    void aSubscriberThatDoesNotReadIsDisconnected() throws Exception {
        try (Socket slow = new Socket(); RedisTestConnection pub = proxy.connect()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", proxy.port()));
            slow.getOutputStream().write(RedisTestConnection.command("SUBSCRIBE", "ps:flood"));
            slow.getOutputStream().flush();
            Thread.sleep(300);
            String payload = "x".repeat(1024);
            byte[] one = RedisTestConnection.command("PUBLISH", "ps:flood", payload);
            boolean closed = false;
            for (int batch = 0; batch < 60 && !closed; batch++) {
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                for (int i = 0; i < 500; i++) {
                    burst.writeBytes(one);
                }
                pub.sendRaw(burst.toByteArray());
                for (int i = 0; i < 500; i++) {
                    pub.readReply();
                }
                closed = proxy.server() != null && isClosed(slow);
            }
            assertTrue(closed || drainsToEof(slow), "the slow subscriber was disconnected");
        }
    }

    /** Reads (a little) without blocking long: true once the proxy has closed the socket and all is read. */
    private static boolean isClosed(Socket socket) throws Exception {
        socket.setSoTimeout(1);
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[8192];
        try {
            // Drain at most a bounded amount per check, so the proxy's output keeps piling up meanwhile.
            for (int i = 0; i < 4; i++) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
        return false;
    }

    private static boolean drainsToEof(Socket socket) throws Exception {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[65536];
        try {
            while (in.read(buf) >= 0) {
                // keep reading until the proxy's close arrives
            }
            return true;
        } catch (SocketException e) {
            return true;
        }
    }

    @Test
    void subscriptionsSurviveTheBackendConnectionBeingKilled() throws Exception {
        try (RedisTestConnection sub = RedisTestConnection.open("127.0.0.1", proxy.port(), Duration.ofSeconds(15));
             RedisTestConnection pub = proxy.connect()) {
            sub.sendRaw(RedisTestConnection.command("SUBSCRIBE", "ps:survive"));
            assertEquals(List.of("subscribe", "ps:survive", "1"), texts(sub.readReply()));
            long killed = 0;
            for (int port : cluster.masterPorts()) {
                try (RedisTestConnection node = cluster.connect(port)) {
                    killed += (Long) node.call("CLIENT", "KILL", "TYPE", "pubsub");
                }
            }
            assertTrue(killed >= 1, "the subscription's backend connection was killed");
            AtomicBoolean received = new AtomicBoolean();
            Thread publisher = new Thread(() -> {
                while (!received.get()) {
                    pub.call("PUBLISH", "ps:survive", "again");
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            publisher.start();
            try {
                assertEquals(List.of("message", "ps:survive", "again"), texts(sub.readReply()));
            } finally {
                received.set(true);
                publisher.join();
            }
        }
    }
}
