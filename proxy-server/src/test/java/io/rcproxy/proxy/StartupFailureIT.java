package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.proxy.config.ProxyStartException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A port that cannot be bound stops start-up cleanly: a clear error, and nothing left running. */
@ExtendWith(RedisClusterExtension.class)
class StartupFailureIT {

    private static long proxyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("multiThreadIoEventLoopGroup")).count();
    }

    @Test
    void listenPortInUseFailsAndLeavesNoEventLoops(RedisClusterProcess cluster) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long before = proxyThreads();
            ProxyStartException e = assertThrows(ProxyStartException.class, () -> RunningProxy.start(cluster,
                    Map.of("proxy.listen.port", taken.getLocalPort())));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            Thread.sleep(1500); // event loops stop asynchronously
            assertEquals(before, proxyThreads(), "event loop threads left running after a failed start");
        }
    }

    @Test
    void metricsPortInUseFailsToo(RedisClusterProcess cluster) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ProxyStartException e = assertThrows(ProxyStartException.class, () -> RunningProxy.start(cluster,
                    Map.of("proxy.metrics.port", taken.getLocalPort())));
            assertTrue(e.getMessage().startsWith("cannot listen for metrics on "), e.getMessage());
        }
    }
}
