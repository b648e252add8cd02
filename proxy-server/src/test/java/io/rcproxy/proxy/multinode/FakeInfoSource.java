package io.rcproxy.proxy.multinode;

import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.proxy.config.ProxyConfig;
import io.rcproxy.proxy.config.ProxyConfigLoader;
import io.rcproxy.proxy.metrics.InfoCounters;
import java.util.Map;

/** The proxy's side of INFO and CONFIG for multi-node tests: a default configuration on port 6399. */
final class FakeInfoSource implements InfoSource {

    final ProxyConfig config = ProxyConfigLoader.fromMap(Map.of("proxy.listen.port", 6399));
    int resets;

    @Override
    public ProxyConfig config() {
        return config;
    }

    @Override
    public ClusterClient client() {
        throw new UnsupportedOperationException("no cluster client in this test");
    }

    @Override
    public int connectedClientCount() {
        return 1;
    }

    @Override
    public int blockedClientCount() {
        return 0;
    }

    @Override
    public int trackingClientCount() {
        return 0;
    }

    @Override
    public long trackedKeyCount() {
        return 0;
    }

    @Override
    public InfoCounters infoCounters() {
        throw new UnsupportedOperationException("no counters in this test");
    }

    @Override
    public String runId() {
        return "0".repeat(40);
    }

    @Override
    public boolean clusterMode() {
        return false;
    }

    @Override
    public void resetStats() {
        resets++;
    }

    @Override
    public void configSetAccepted(String parameter, String value) {
    }
}
