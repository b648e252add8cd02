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
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A port that cannot be bound stops start-up cleanly: a clear error, and nothing left running. */
@ExtendWith(RedisClusterExtension.class)
class StartupFailureIT {

    private static Set<Thread> eventLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("multiThreadIoEventLoopGroup"))
                .collect(Collectors.toSet());
    }

    @Test
    void listenPortInUseFailsAndLeavesNoEventLoops(RedisClusterProcess cluster) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // Threads of an earlier test's proxy may still be stopping: only threads this start made count.
            Set<Thread> before = eventLoopThreads();
            ProxyStartException e = assertThrows(ProxyStartException.class, () -> RunningProxy.start(cluster,
                    Map.of("proxy.listen.port", taken.getLocalPort())));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            Set<Thread> left = eventLoopThreads();
            left.removeAll(before);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!left.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100); // event loops stop asynchronously
                left.removeIf(t -> !t.isAlive());
            }
            assertEquals(Set.of(), left, "event loop threads left running after a failed start");
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
