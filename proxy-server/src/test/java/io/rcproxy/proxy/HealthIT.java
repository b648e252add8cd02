package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Liveness and readiness probes follow the cluster: a master with no live connection means not ready. */
@ExtendWith(RedisClusterExtension.class)
class HealthIT {

    private static AdminHttp.Response awaitResponse(int port, String path, Predicate<AdminHttp.Response> wanted,
                                                    long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AdminHttp.Response response;
        do {
            response = AdminHttp.get(port, path);
            if (wanted.test(response)) {
                return response;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return response;
    }

    @Test
    void readyAndLiveWithAHealthyCluster(RedisClusterProcess cluster) throws InterruptedException {
        try (RunningProxy proxy = RunningProxy.start(cluster)) {
            AdminHttp.Response ready = awaitResponse(proxy.metricsPort(), "/health/ready", r -> r.status() == 200, 5);
            assertEquals(200, ready.status(), ready.body());
            assertEquals(200, AdminHttp.get(proxy.metricsPort(), "/health/live").status());
        }
    }

    @Test
    void unknownPathsAndMethodsAreRefused(RedisClusterProcess cluster) {
        try (RunningProxy proxy = RunningProxy.start(cluster)) {
            assertEquals(404, AdminHttp.get(proxy.metricsPort(), "/nope").status());
            assertEquals(405, AdminHttp.send(proxy.metricsPort(), "/metrics", "POST").status());
            assertEquals(405, AdminHttp.send(proxy.metricsPort(), "/health/ready", "DELETE").status());
        }
    }

    @Test
    void stoppedMasterMakesTheProxyUnreadyUntilItIsBack(@PrivateCluster(masters = 3) RedisClusterProcess cluster)
            throws InterruptedException {
        int victim = cluster.masterPorts().get(1);
        try (RunningProxy proxy = RunningProxy.start(cluster)) {
            int port = proxy.metricsPort();
            assertEquals(200, awaitResponse(port, "/health/ready", r -> r.status() == 200, 5).status());

            cluster.stopNode(victim);
            AdminHttp.Response down = awaitResponse(port, "/health/ready", r -> r.status() == 503, 5);
            assertEquals(503, down.status(), down.body());
            assertTrue(down.body().contains(String.valueOf(victim)), down.body());
            assertEquals(200, AdminHttp.get(port, "/health/live").status(), "live whatever the cluster does");

            cluster.restartNode(victim);
            AdminHttp.Response back = awaitResponse(port, "/health/ready", r -> r.status() == 200, 20);
            assertEquals(200, back.status(), back.body());
        }
    }

    @Test
    void disabledMetricsMeansNoListener(RedisClusterProcess cluster) {
        int port = RunningProxy.freePort();
        try (RunningProxy proxy = RunningProxy.start(cluster,
                Map.of("proxy.metrics.enabled", false, "proxy.metrics.port", port))) {
            assertNull(proxy.server().metricsAddress());
            assertThrows(IOException.class, () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                }
            });
        }
    }
}
