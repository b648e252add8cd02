package io.rcproxy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.topology.HostAndPort;
import io.rcproxy.proxy.ProxyServer;
import io.rcproxy.proxy.config.ProxyConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MGET10 through every kind of target against a real cluster: our client (both APIs, split by slot),
 * Lettuce (its own split) and plain RESP through an in-process proxy, closed-loop and at a fixed rate.
 * Every reply's ten values are checked against the keys asked for, so a run without errors means the
 * values came back right and in order; the last test changes one value to show the check fails.
 */
@ExtendWith(RedisClusterExtension.class)
class Mget10IT {

    /** A slow rate and a long drain: the CPU is shared, and speed is not what is tested here. */
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final KeySpace keys = new KeySpace(300, 24, 40);
    private ProxyServer proxy;
    private List<HostAndPort> seeds;

    @BeforeEach
    void preloadAndStartAProxy(RedisClusterProcess cluster) throws Exception {
        seeds = List.of(HostAndPort.parse(cluster.seeds().get(0)));
        try (ClientTarget loader = new ClientTarget(seeds, 1, BenchOptions.ClientApi.TYPED)) {
            loader.preload(keys);
        }
        proxy = ProxyServer.start(ProxyConfigLoader.fromMap(Map.of(
                "proxy.listen.port", freePort(),
                "proxy.cluster.seeds", String.join(",", cluster.seeds()),
                "proxy.io.event-loops", 1,
                "proxy.metrics.port", 0)));
        assertTrue(proxy.client().awaitFullSlotMap(Duration.ofSeconds(20)), "the proxy loaded no slot map");
    }

    @AfterEach
    void stopTheProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private HostAndPort proxyAddress() {
        return new HostAndPort("127.0.0.1", proxy.localAddress().getPort());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private RunResult closedLoop(Target target, int pipeline) throws Exception {
        int slots = target instanceof RespTarget ? 3 : 3 * pipeline;
        LoadWindow window = new LoadWindow(slots, 1_000_000);
        target.start(Operation.MGET10, keys, window, pipeline);
        return window.measure(target.name(), Operation.MGET10, pipeline, Duration.ofMillis(200),
                Duration.ofMillis(500), DRAIN);
    }

    private RateResult paced(Target target) throws Exception {
        PacedRun run = new PacedRun(new RateSchedule(200, 3), Duration.ofMillis(100), Duration.ofMillis(50),
                Duration.ofMillis(300));
        target.startPaced(Operation.MGET10, keys, run);
        return run.measure(target.name(), Operation.MGET10, DRAIN);
    }

    private void assertRight(Target target) throws Exception {
        for (int pipeline : new int[] {1, 4}) {
            RunResult result = closedLoop(target, pipeline);
            assertEquals(0, result.errors(), target.name() + " pipeline " + pipeline + ": " + result.firstError());
            assertTrue(result.replies() > 0, target.name() + ": no MGET10 replies");
        }
        RateResult rate = paced(target);
        assertEquals(0, rate.errors(), target.name() + " at a fixed rate: " + rate.firstError());
        assertTrue(rate.achievedOpsPerSecond() > 0 && rate.p50Micros() <= rate.p99Micros(), rate.toString());
    }

    @Test
    void theClusterClientSplitsBySlotAndGetsEveryValueBack() throws Exception {
        for (BenchOptions.ClientApi api : BenchOptions.ClientApi.values()) {
            try (ClientTarget target = new ClientTarget(seeds, 2, api)) {
                assertRight(target);
            }
        }
    }

    @Test
    void lettuceGetsEveryValueBack() throws Exception {
        try (LettuceTarget target = new LettuceTarget(seeds)) {
            assertRight(target);
        }
    }

    @Test
    void oneMgetThroughTheProxyGetsEveryValueBackInOrder() throws Exception {
        try (RespTarget target = new RespTarget("proxy", proxyAddress(), 2000, false, false)) {
            assertRight(target);
        }
    }

    @Test
    void aKeyHoldingAnotherValueIsCountedAsAnError() throws Exception {
        // Every key gets another key's value, so any MGET10 reply is wrong; the check must say so.
        try (RespConnection c = new RespConnection("127.0.0.1", proxy.localAddress().getPort(), 2000)) {
            for (int i = 0; i < keys.size(); i++) {
                c.append("SET".getBytes(StandardCharsets.US_ASCII), keys.key(i), keys.value(i + 1));
            }
            c.flush();
            for (int i = 0; i < keys.size(); i++) {
                c.readReply();
            }
        }
        try (RespTarget target = new RespTarget("proxy", proxyAddress(), 2000, false, false)) {
            RunResult result = closedLoop(target, 1);
            assertTrue(result.errors() > 0, "wrong values were not noticed");
            assertTrue(result.firstError().contains("is not the value of key"), result.firstError());
        }
        try (LettuceTarget target = new LettuceTarget(seeds)) {
            RateResult rate = paced(target);
            assertTrue(rate.errors() > 0, "wrong values were not noticed at a fixed rate");
        }
    }
}
