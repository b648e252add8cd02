package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.ClusterUnavailableException;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The proxy and its cluster start together in a pod or a compose file, so the proxy must come up first
 * without crashing: listen, say why it is not ready, answer commands with a prompt error, and serve as
 * soon as the cluster exists, with no restart.
 */
@ExtendWith(RedisClusterExtension.class)
class ClusterBootIT {

    @Test
    void proxyStartedBeforeTheClusterServesOnceTheClusterExists() throws Exception {
        try (RedisClusterProcess cluster = new RedisClusterProcess(3, 0)) {
            int seed = cluster.reserveFirstPort();
            try (RunningProxy proxy = RunningProxy.startWithoutWaiting(cluster,
                    Map.of("proxy.cluster.seeds", "127.0.0.1:" + seed));
                 RedisTestConnection c = proxy.connect()) {
                AdminHttp.Response ready = AdminHttp.get(proxy.metricsPort(), "/health/ready");
                assertEquals(503, ready.status());
                assertTrue(ready.body().contains("slot map not loaded"), ready.body());

                long start = System.nanoTime();
                RedisErrorReply error = assertInstanceOf(RedisErrorReply.class, c.callRaw("GET", "boot:key"));
                assertTrue(error.message().startsWith("CLUSTERDOWN"), error.message());
                assertTrue(FailoverIT.millis(System.nanoTime() - start) < 1000, "the error is prompt");
                assertEquals("PONG", c.callText("PING"), "the connection stays usable");

                cluster.start();
                long formed = System.nanoTime();
                long readyAt = FailoverIT.awaitReady(proxy, 20);
                System.out.printf("proxy before cluster: ready %d ms after the cluster formed%n",
                        FailoverIT.millis(readyAt - formed));
                assertEquals("OK", c.callText("SET", "boot:key", "v"));
                assertEquals("v", c.callText("GET", "boot:key"));
            }
        }
    }

    @Test
    void failFastStartupStillRefusesToStartWithoutACluster() {
        try (RedisClusterProcess cluster = new RedisClusterProcess(1, 0)) {
            int seed = cluster.reserveFirstPort();
            long start = System.nanoTime();
            assertThrows(ClusterUnavailableException.class, () -> RunningProxy.start(cluster,
                    Map.of("proxy.cluster.seeds", "127.0.0.1:" + seed, "proxy.cluster.fail-fast-startup", true,
                            "proxy.cluster.connect-timeout", "500ms", "proxy.cluster.command-timeout", "1s")));
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 10);
        }
    }
}
