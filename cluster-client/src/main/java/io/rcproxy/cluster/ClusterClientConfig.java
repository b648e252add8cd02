package io.rcproxy.cluster;

import io.rcproxy.cluster.connection.DedicatedPoolOptions;
import io.rcproxy.cluster.connection.Transport;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.topology.HostAndPort;
import java.time.Duration;
import java.util.List;

/**
 * Everything the client needs to know, as one immutable record. The proxy builds it from its own
 * configuration; library users start from {@link #defaults(List)} and change what they need with the
 * {@code with...} methods.
 *
 * @param seeds              nodes to ask for the topology first
 * @param connectionsPerNode multiplexed connections each event loop keeps to each master
 * @param maxRedirects       MOVED and ASK redirects a command may follow
 * @param refreshInterval    periodic topology refresh; zero disables it
 * @param minRefreshInterval the least time between two topology queries, however many are asked for
 * @param eventLoops         loops the client creates when it owns its event loop group
 * @param username           ACL user sent with {@code AUTH}; empty means the default user
 * @param password           when not empty, {@code AUTH [username] password} opens every node connection
 * @param retryWindow        how long a command keeps retrying TRYAGAIN and CLUSTERDOWN (capped at the
 *                           command timeout); MOVED and ASK spend from {@code maxRedirects} instead
 * @param awaitTopology      true: {@code start} blocks until a seed answers and fails when none does;
 *                           false: it returns at once and keeps asking the seeds in the background
 * @param dedicatedPool      idle dedicated connections (transactions, blocking commands) each loop keeps per
 *                           node for reuse, and for how long
 */
public record ClusterClientConfig(List<HostAndPort> seeds, int connectionsPerNode, Duration connectTimeout,
                                  Duration commandTimeout, int maxRedirects, Duration refreshInterval,
                                  Duration minRefreshInterval, RespLimits limits, Transport transport,
                                  int eventLoops, String username, String password, Duration retryWindow,
                                  boolean awaitTopology, DedicatedPoolOptions dedicatedPool) {

    /** Long enough to cover a failover at the common node timeouts (promotion takes about 1-3 s). */
    public static final Duration DEFAULT_RETRY_WINDOW = Duration.ofSeconds(3);

    public ClusterClientConfig {
        if (dedicatedPool == null) {
            dedicatedPool = DedicatedPoolOptions.DEFAULT;
        }
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
        if (retryWindow == null || retryWindow.isNegative()) {
            throw new IllegalArgumentException("retryWindow must not be negative");
        }
    }

    /**
     * A configuration without authentication that waits for the topology at start, with the default retry
     * window and pool of idle dedicated connections.
     */
    public ClusterClientConfig(List<HostAndPort> seeds, int connectionsPerNode, Duration connectTimeout,
                               Duration commandTimeout, int maxRedirects, Duration refreshInterval,
                               Duration minRefreshInterval, RespLimits limits, Transport transport, int eventLoops) {
        this(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects, refreshInterval,
                minRefreshInterval, limits, transport, eventLoops, "", "", DEFAULT_RETRY_WINDOW, true,
                DedicatedPoolOptions.DEFAULT);
    }

    public static ClusterClientConfig defaults(List<HostAndPort> seeds) {
        return new ClusterClientConfig(seeds, 4, Duration.ofSeconds(2), Duration.ofSeconds(5), 5,
                Duration.ofSeconds(30), Duration.ofMillis(100), RespLimits.DEFAULT, Transport.best(),
                Runtime.getRuntime().availableProcessors());
    }

    public ClusterClientConfig withConnectionsPerNode(int n) {
        return new ClusterClientConfig(seeds, n, connectTimeout, commandTimeout, maxRedirects, refreshInterval,
                minRefreshInterval, limits, transport, eventLoops, username, password, retryWindow, awaitTopology,
                dedicatedPool);
    }

    public ClusterClientConfig withCommandTimeout(Duration timeout) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, timeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, transport, eventLoops, username, password, retryWindow,
                awaitTopology, dedicatedPool);
    }

    public ClusterClientConfig withEventLoops(int n) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, transport, n, username, password, retryWindow,
                awaitTopology, dedicatedPool);
    }

    public ClusterClientConfig withTransport(Transport t) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, t, eventLoops, username, password, retryWindow,
                awaitTopology, dedicatedPool);
    }

    /** Replaces the limits on what nodes may send, and the buffer budget their large replies count against. */
    public ClusterClientConfig withLimits(RespLimits l) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, minRefreshInterval, l, transport, eventLoops, username, password, retryWindow,
                awaitTopology, dedicatedPool);
    }

    /** Authenticates every node connection with {@code AUTH [username] password}; empty username: default user. */
    public ClusterClientConfig withAuth(String user, String secret) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, transport, eventLoops, user, secret, retryWindow,
                awaitTopology, dedicatedPool);
    }

    /** Retries TRYAGAIN and CLUSTERDOWN for {@code window} from the first of them. */
    public ClusterClientConfig withRetryWindow(Duration window) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, transport, eventLoops, username, password, window,
                awaitTopology, dedicatedPool);
    }

    /** False lets {@code start} return before any seed answered; the topology then loads in the background. */
    public ClusterClientConfig withAwaitTopology(boolean await) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, transport, eventLoops, username, password, retryWindow,
                await, dedicatedPool);
    }

    /** Keeps up to {@code pool.maxIdlePerNode()} idle dedicated connections per loop and node for reuse. */
    public ClusterClientConfig withDedicatedPool(DedicatedPoolOptions pool) {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, minRefreshInterval, limits, transport, eventLoops, username, password, retryWindow,
                awaitTopology, pool);
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
                + eventLoops + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
                + ", retryWindow=" + retryWindow + ", awaitTopology=" + awaitTopology
                + ", dedicatedPool=" + dedicatedPool + "]";
    }
}
