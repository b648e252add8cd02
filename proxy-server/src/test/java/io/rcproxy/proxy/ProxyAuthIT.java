package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.ClusterUnavailableException;
import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The proxy in front of a cluster whose nodes require a password: proxy.cluster.password reaches every node. */
@ExtendWith(RedisClusterExtension.class)
class ProxyAuthIT {

    private static final String PASSWORD = "proxy-auth-it";

    @Test
    void clientsNeedNoPasswordWhenTheProxyHasIt(
            @PrivateCluster(masters = 3, password = PASSWORD) RedisClusterProcess cluster) {
        List<Integer> masters = cluster.masterPorts(); // asked once: the fixture's own AUTH breaks on rotation
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.cluster.password", PASSWORD));
             RedisTestConnection c = proxy.connect()) {
            for (int i = 0; i < 50; i++) {
                assertEquals("OK", c.callText("SET", "auth:" + i, "v" + i));
            }
            for (int i = 0; i < 50; i++) {
                assertEquals("v" + i, c.callText("GET", "auth:" + i));
            }
            assertTrue(proxy.server().config().describe().contains("password=***"));

            // Rotate the password on the nodes and drop the proxy's connections: new ones are refused, and
            // the client sees Redis's own WRONGPASS error rather than a generic one.
            for (int port : masters) {
                try (RedisTestConnection node = cluster.connect(port)) {
                    node.call("CONFIG", "SET", "requirepass", "rotated");
                    node.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
                }
            }
            String reply = "";
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!reply.startsWith("-WRONGPASS") && System.nanoTime() < deadline) {
                Object raw = c.callRaw("GET", "auth:1");
                reply = String.valueOf(raw);
            }
            assertTrue(reply.startsWith("-WRONGPASS"), reply);
        } finally {
            for (int port : masters) {
                try (RedisTestConnection node = RedisTestConnection.open(RedisClusterProcess.HOST, port)) {
                    if (!(node.callRaw("AUTH", "rotated") instanceof RedisErrorReply)) {
                        node.call("CONFIG", "SET", "requirepass", PASSWORD); // so the fixture can stop the nodes
                    }
                }
            }
        }
    }

    @Test
    void respThreeBackendConnectionsAuthenticateInTheirHello(
            @PrivateCluster(masters = 1, password = PASSWORD) RedisClusterProcess cluster) {
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.cluster.password", PASSWORD));
             RawConnection c = new RawConnection(proxy.port());
             RawConnection two = new RawConnection(proxy.port())) {
            assertTrue(c.call("HELLO", "3").startsWith("%7\r\n"));
            assertEquals(":1\r\n", c.call("HSET", "auth3:h", "f", "v"));
            assertEquals("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", c.call("HGETALL", "auth3:h"));
            assertEquals(">3\r\n$9\r\nsubscribe\r\n$7\r\nauth3:c\r\n:1\r\n", c.call("SUBSCRIBE", "auth3:c"));
            assertEquals("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", c.call("HGETALL", "auth3:h"), "while subscribed");
            assertEquals("*2\r\n$1\r\nf\r\n$1\r\nv\r\n", two.call("HGETALL", "auth3:h"), "RESP2 beside it");
        }
    }

    @Test
    void aWrongPasswordStopsAFailFastStartUp(@PrivateCluster(masters = 1, password = PASSWORD) RedisClusterProcess cluster) {
        ClusterUnavailableException e = assertThrows(ClusterUnavailableException.class,
                () -> RunningProxy.start(cluster, Map.of("proxy.cluster.password", "wrong",
                        "proxy.cluster.fail-fast-startup", true)).close());
        assertTrue(e.getMessage().contains("WRONGPASS"), e.getMessage());
    }

    @Test
    void aWrongPasswordKeepsTheProxyUnreadySayingWhy(
            @PrivateCluster(masters = 1, password = PASSWORD) RedisClusterProcess cluster) {
        try (RunningProxy proxy = RunningProxy.startWithoutWaiting(cluster, Map.of("proxy.cluster.password", "wrong"));
             RedisTestConnection c = proxy.connect()) {
            AdminHttp.Response ready = AdminHttp.get(proxy.metricsPort(), "/health/ready");
            assertEquals(503, ready.status());
            assertTrue(ready.body().contains("WRONGPASS"), ready.body());
            RedisErrorReply error = (RedisErrorReply) c.callRaw("GET", "k");
            assertTrue(error.message().startsWith("CLUSTERDOWN"), error.message());
        }
    }
}
