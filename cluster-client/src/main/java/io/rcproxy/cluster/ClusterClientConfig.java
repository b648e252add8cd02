package io.rcproxy.cluster;

import io.rcproxy.cluster.internal.connection.DedicatedPoolOptions;
import io.rcproxy.cluster.internal.connection.Transport;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.spi.BackendTls;
import io.rcproxy.cluster.topology.HostAndPort;
import java.time.Duration;
import java.util.List;

/**
 * Everything the client needs to know, as one immutable record. The proxy builds it from its own
 * configuration; library users start from {@link #builder(List)}, which holds the defaults, and change
 * what they need; {@link #toBuilder()} changes a copy.
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
 * @param tls                TLS for every node connection, or null for plain TCP
 */
public record ClusterClientConfig(List<HostAndPort> seeds, int connectionsPerNode, Duration connectTimeout,
                                  Duration commandTimeout, int maxRedirects, Duration refreshInterval,
                                  Duration minRefreshInterval, RespLimits limits, Transport transport,
                                  int eventLoops, String username, String password, Duration retryWindow,
                                  boolean awaitTopology, DedicatedPoolOptions dedicatedPool, BackendTls tls) {

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

    /** A builder holding the defaults, for a cluster reached through {@code seeds}. */
    public static Builder builder(List<HostAndPort> seeds) {
        return new Builder(seeds);
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds a {@link ClusterClientConfig}; every setting starts at its default (or at the copied
     * configuration's value), and {@link #build()} validates them together. Not thread-safe.
     */
    public static final class Builder {
        private final List<HostAndPort> seeds;
        private int connectionsPerNode = 4;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration commandTimeout = Duration.ofSeconds(5);
        private int maxRedirects = 5;
        private Duration refreshInterval = Duration.ofSeconds(30);
        private Duration minRefreshInterval = Duration.ofMillis(100);
        private RespLimits limits = RespLimits.DEFAULT;
        private Transport transport = Transport.best();
        private int eventLoops = Runtime.getRuntime().availableProcessors();
        private String username = "";
        private String password = "";
        private Duration retryWindow = DEFAULT_RETRY_WINDOW;
        private boolean awaitTopology = true;
        private DedicatedPoolOptions dedicatedPool = DedicatedPoolOptions.DEFAULT;
        private BackendTls tls;

        private Builder(List<HostAndPort> seeds) {
            this.seeds = seeds;
        }

        private Builder(ClusterClientConfig c) {
            this(c.seeds);
            connectionsPerNode = c.connectionsPerNode;
            connectTimeout = c.connectTimeout;
            commandTimeout = c.commandTimeout;
            maxRedirects = c.maxRedirects;
            refreshInterval = c.refreshInterval;
            minRefreshInterval = c.minRefreshInterval;
            limits = c.limits;
            transport = c.transport;
            eventLoops = c.eventLoops;
            username = c.username;
            password = c.password;
            retryWindow = c.retryWindow;
            awaitTopology = c.awaitTopology;
            dedicatedPool = c.dedicatedPool;
            tls = c.tls;
        }

        public Builder connectionsPerNode(int n) {
            connectionsPerNode = n;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            connectTimeout = timeout;
            return this;
        }

        public Builder commandTimeout(Duration timeout) {
            commandTimeout = timeout;
            return this;
        }

        public Builder maxRedirects(int n) {
            maxRedirects = n;
            return this;
        }

        public Builder refreshInterval(Duration interval) {
            refreshInterval = interval;
            return this;
        }

        public Builder minRefreshInterval(Duration interval) {
            minRefreshInterval = interval;
            return this;
        }

        /** The limits on what nodes may send, and the buffer budget their large replies count against. */
        public Builder limits(RespLimits l) {
            limits = l;
            return this;
        }

        public Builder transport(Transport t) {
            transport = t;
            return this;
        }

        public Builder eventLoops(int n) {
            eventLoops = n;
            return this;
        }

        /** Authenticates every node connection with {@code AUTH [user] secret}; empty user: default user. */
        public Builder auth(String user, String secret) {
            username = user;
            password = secret;
            return this;
        }

        /** Retries TRYAGAIN and CLUSTERDOWN for {@code window} from the first of them. */
        public Builder retryWindow(Duration window) {
            retryWindow = window;
            return this;
        }

        /** False lets {@code start} return before any seed answered; the topology then loads in the background. */
        public Builder awaitTopology(boolean await) {
            awaitTopology = await;
            return this;
        }

        /** Keeps up to {@code pool.maxIdlePerNode()} idle dedicated connections per loop and node for reuse. */
        public Builder dedicatedPool(DedicatedPoolOptions pool) {
            dedicatedPool = pool;
            return this;
        }

        /** Connects to the nodes over TLS, with handlers from {@code backendTls}; null: plain TCP. */
        public Builder tls(BackendTls backendTls) {
            tls = backendTls;
            return this;
        }

        public ClusterClientConfig build() {
            return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                    refreshInterval, minRefreshInterval, limits, transport, eventLoops, username, password,
                    retryWindow, awaitTopology, dedicatedPool, tls);
        }
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
                + ", dedicatedPool=" + dedicatedPool + ", tls=" + (tls != null) + "]";
    }
}
