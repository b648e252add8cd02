package io.rcproxy.cluster;

import io.rcproxy.cluster.connection.Transport;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.topology.HostAndPort;
import java.time.Duration;
import java.util.List;

/**
 * Everything the client needs to know, as one immutable record. The proxy builds it from its own
 * configuration; library users start from {@link #defaults(List)}.
 *
 * @param seeds              nodes to ask for the topology first
 * @param connectionsPerNode multiplexed connections each event loop keeps to each master
 * @param maxRedirects       MOVED/ASK/TRYAGAIN/CLUSTERDOWN retries a command may spend
 * @param refreshInterval    periodic topology refresh; zero disables it
 * @param minRefreshInterval the least time between two topology queries, however many are asked for
 * @param eventLoops         loops the client creates when it owns its event loop group
 */
public record ClusterClientConfig(List<HostAndPort> seeds, int connectionsPerNode, Duration connectTimeout,
                                  Duration commandTimeout, int maxRedirects, Duration refreshInterval,
                                  Duration minRefreshInterval, RespLimits limits, Transport transport,
                                  int eventLoops) {

    public ClusterClientConfig {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one seed node is needed");
        }
        if (connectionsPerNode < 1) {
            throw new IllegalArgumentException("connectionsPerNode must be at least 1");
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative");
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1");
        }
    }

    public static ClusterClientConfig defaults(List<HostAndPort> seeds) {
        return new ClusterClientConfig(seeds, 4, Duration.ofSeconds(2), Duration.ofSeconds(5), 5,
                Duration.ofSeconds(30), Duration.ofMillis(100), RespLimits.DEFAULT, Transport.best(),
                Runtime.getRuntime().availableProcessors());
    }

    public ClusterClientConfig withConnectionsPerNode(int n) {
        return new ClusterClientConfig(seeds, n, connectTimeout, commandTimeout, maxRedirects, refreshInterval,
                minRefreshInterval, limits, transport, eventLoops);
    }

    public ClusterClientConfig withCommandTimeout(Duration timeout) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, timeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, transport, eventLoops);
    }

    public ClusterClientConfig withEventLoops(int n) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, transport, n);
    }

    public ClusterClientConfig withTransport(Transport t) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, t, eventLoops);
    }
}
