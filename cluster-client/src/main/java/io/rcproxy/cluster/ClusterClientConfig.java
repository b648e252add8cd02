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
 * @param username           ACL user sent with {@code AUTH}; empty means the default user
 * @param password           when not empty, {@code AUTH [username] password} opens every node connection
 */
public record ClusterClientConfig(List<HostAndPort> seeds, int connectionsPerNode, Duration connectTimeout,
                                  Duration commandTimeout, int maxRedirects, Duration refreshInterval,
                                  Duration minRefreshInterval, RespLimits limits, Transport transport,
                                  int eventLoops, String username, String password) {

    public ClusterClientConfig {
        seeds = List.copyOf(seeds);
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        if (!username.isEmpty() && password.isEmpty()) {
            throw new IllegalArgumentException("a username needs a password");
        }
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

    /** A configuration without authentication. */
    public ClusterClientConfig(List<HostAndPort> seeds, int connectionsPerNode, Duration connectTimeout,
                               Duration commandTimeout, int maxRedirects, Duration refreshInterval,
                               Duration minRefreshInterval, RespLimits limits, Transport transport, int eventLoops) {
        this(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects, refreshInterval,
                minRefreshInterval, limits, transport, eventLoops, "", "");
    }

    public static ClusterClientConfig defaults(List<HostAndPort> seeds) {
        return new ClusterClientConfig(seeds, 4, Duration.ofSeconds(2), Duration.ofSeconds(5), 5,
                Duration.ofSeconds(30), Duration.ofMillis(100), RespLimits.DEFAULT, Transport.best(),
                Runtime.getRuntime().availableProcessors());
    }

    public ClusterClientConfig withConnectionsPerNode(int n) {
        return new ClusterClientConfig(seeds, n, connectTimeout, commandTimeout, maxRedirects, refreshInterval,
                minRefreshInterval, limits, transport, eventLoops, username, password);
    }

    public ClusterClientConfig withCommandTimeout(Duration timeout) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, timeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, transport, eventLoops, username, password);
    }

    public ClusterClientConfig withEventLoops(int n) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, transport, n, username, password);
    }

    public ClusterClientConfig withTransport(Transport t) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, t, eventLoops, username, password);
    }

    /** Replaces the limits on what nodes may send, and the buffer budget their large replies count against. */
    public ClusterClientConfig withLimits(RespLimits l) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, minRefreshInterval, l, transport, eventLoops, username, password);
    }

    /** Authenticates every node connection with {@code AUTH [username] password}; empty username: default user. */
    public ClusterClientConfig withAuth(String user, String secret) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, transport, eventLoops, user, secret);
    }

    /** Whether node connections authenticate first. */
    public boolean hasAuth() {
        return !password.isEmpty();
    }

    /** Like the record's own, but the password never appears. */
    @Override
    public String toString() {
        return "ClusterClientConfig[seeds=" + seeds + ", connectionsPerNode=" + connectionsPerNode
                + ", connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout + ", maxRedirects="
                + maxRedirects + ", refreshInterval=" + refreshInterval + ", minRefreshInterval="
                + minRefreshInterval + ", limits=" + limits + ", transport=" + transport + ", eventLoops="
                + eventLoops + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***") + "]";
    }
}
