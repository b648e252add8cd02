package io.rcproxy.proxy;

import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import io.rcproxy.proxy.config.ProxyConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A proxy started in-process in front of a test cluster, on a free loopback port. */
public final class RunningProxy implements AutoCloseable {

    private final ProxyServer server;

    private RunningProxy(ProxyServer server) {
        this.server = server;
    }

    /**
     * Starts a proxy for {@code cluster}; {@code settings} override defaults (keys as in reference.conf). When
     * the cluster runs, returns once the proxy has a slot map covering every slot.
     */
    public static RunningProxy start(RedisClusterProcess cluster, Map<String, Object> settings) {
        RunningProxy proxy = startWithoutWaiting(cluster, settings);
        if (cluster.isStarted()) {
            proxy.awaitFullSlotMap(); // a loaded machine can take longer than the server's own grace
        }
        return proxy;
    }

    /** Starts a proxy for {@code cluster} and returns as soon as it listens, slot map or not. */
    public static RunningProxy startWithoutWaiting(RedisClusterProcess cluster, Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>();
        all.put("proxy.listen.port", freePort());
        all.put("proxy.cluster.seeds", String.join(",", cluster.seeds()));
        all.put("proxy.io.event-loops", 2);
        all.put("proxy.metrics.port", 0); // several proxies per JVM: each takes a free port
        all.putAll(settings);
        return new RunningProxy(ProxyServer.start(ProxyConfigLoader.fromMap(all)));
    }

    /** Starts a proxy for the cluster behind {@code seeds} (host:port); waits for a full slot map when {@code await}. */
    public static RunningProxy start(java.util.List<String> seeds, Map<String, Object> settings, boolean await) {
        Map<String, Object> all = new HashMap<>();
        all.put("proxy.listen.port", freePort());
        all.put("proxy.cluster.seeds", String.join(",", seeds));
        all.put("proxy.io.event-loops", 2);
        all.put("proxy.metrics.port", 0);
        all.putAll(settings);
        RunningProxy proxy = new RunningProxy(ProxyServer.start(ProxyConfigLoader.fromMap(all)));
        if (await) {
            proxy.awaitFullSlotMap();
        }
        return proxy;
    }

    private void awaitFullSlotMap() {
        try {
            if (!server.client().awaitFullSlotMap(Duration.ofSeconds(20))) {
                close();
                throw new IllegalStateException("the proxy loaded no full slot map within 20 s: "
                        + server.client().slotMap());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static RunningProxy start(RedisClusterProcess cluster) {
        return start(cluster, Map.of());
    }

    public int port() {
        return server.localAddress().getPort();
    }

    public ProxyServer server() {
        return server;
    }

    /** The metrics and health listener's port; fails when it is disabled. */
    public int metricsPort() {
        return server.metricsAddress().getPort();
    }

    public RedisTestConnection connect() {
        return RedisTestConnection.open("127.0.0.1", port());
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
