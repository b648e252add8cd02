package io.rcproxy.proxy.config;

import io.rcproxy.cluster.ClusterClientConfig;
import io.rcproxy.cluster.spi.ReadFrom;
import io.rcproxy.cluster.internal.connection.DedicatedPoolOptions;
import io.rcproxy.cluster.internal.connection.Transport;
import io.rcproxy.cluster.topology.HostAndPort;
import java.time.Duration;
import java.util.List;

/**
 * The proxy's effective configuration: one immutable record, whatever fed it (defaults, a HOCON file,
 * flags, environment). Read by every part of the proxy at start-up; never changes afterwards.
 *
 * @param maxBulkLength       largest bulk string a client may send; at most {@code bufferMemory}
 * @param bufferMemory        bytes of large bulks (requests and replies) the proxy may hold at once; see
 *                            {@link io.rcproxy.cluster.internal.memory.BufferBudget} for what is counted
 * @param maxPendingPerClient replies a client may have outstanding before the proxy stops reading from it
 * @param pubsubOutputBuffer  bytes of published messages a subscriber may have waiting to be written before
 *                            the proxy disconnects it
 * @param metrics             the HTTP listener for metrics and health probes
 * @param shutdownGracePeriod how long a shutdown waits for in-flight requests to finish
 * @param username            ACL user for backend AUTH; empty for the default user
 * @param password            backend AUTH password; empty for none. Never logged: see {@link #describe()}
 * @param logLevel            root logger level, upper case (TRACE, DEBUG, INFO, WARN, ERROR, OFF)
 * @param retryWindow         how long a command keeps retrying TRYAGAIN and CLUSTERDOWN before the client
 *                            sees the error; at most the command timeout
 * @param failFastStartup     true: exit at start-up when no seed answers; false: listen at once and keep
 *                            asking the seeds
 * @param dedicatedPool       idle dedicated connections (transactions, blocking commands) kept per loop and
 *                            master for reuse, and for how long
 * @param security            client authentication (users, passwords); see {@link SecurityConfig}
 * @param tracking            client-side caching: keys remembered per event loop, how long links may take
 * @param presentAsCluster    whether clients see a one-node cluster owning every slot rather than a
 *                            standalone server ({@code proxy.listen.present-as-cluster})
 * @param readFrom            where read-only single-slot commands go ({@code proxy.read-from}); MASTER by default
 * @param readYourWritesWindow how long after a client's last write its reads stay on the masters
 *                            ({@code proxy.replica.read-your-writes-window})
 * @param replicaMaxLag       bytes of replication a replica may be behind its master and still serve reads;
 *                            0 for no limit ({@code proxy.replica.max-lag})
 * @param busyScriptsProxyWide whether a script running past the busy threshold makes the whole proxy answer
 *                            {@code -BUSY}, as one Redis would ({@code proxy.scripts.busy-scope = proxy}), or
 *                            only its own master ({@code node})
 */
public record ProxyConfig(String bind, int port, List<HostAndPort> seeds, int eventLoops, Transport transport,
                          int connectionsPerNode, Duration connectTimeout, Duration commandTimeout,
                          int maxRedirects, Duration refreshInterval, int maxBulkLength, long bufferMemory,
                          int maxArgs, int maxPendingPerClient, int maxClients, MetricsConfig metrics,
                          Duration shutdownGracePeriod, String username, String password,
                          long pubsubOutputBuffer, String logLevel, Duration retryWindow,
                          boolean failFastStartup, DedicatedPoolOptions dedicatedPool,
                          SecurityConfig security, TrackingConfig tracking,
                          boolean presentAsCluster, ReadFrom readFrom, Duration readYourWritesWindow,
                          long replicaMaxLag, boolean busyScriptsProxyWide) {

    /** What stands in for a password in anything printed. */
    public static final String MASK = "***";

    /** The cluster client's view of this configuration. */
    public ClusterClientConfig clusterClientConfig() {
        return ClusterClientConfig.builder(seeds)
                .connectionsPerNode(connectionsPerNode)
                .connectTimeout(connectTimeout)
                .commandTimeout(commandTimeout)
                .maxRedirects(maxRedirects)
                .refreshInterval(refreshInterval)
                .transport(transport)
                .eventLoops(eventLoops)
                .auth(username, password)
                .retryWindow(retryWindow)
                .awaitTopology(failFastStartup)
                .dedicatedPool(dedicatedPool)
                .build();
    }

    /** The effective settings on one line for the start-up log; the password shows as {@value #MASK}. */
    public String describe() {
        return "listen=" + bind + ":" + port
                + " seeds=" + seeds
                + " event-loops=" + eventLoops
                + " transport=" + transport
                + " connections-per-node=" + connectionsPerNode
                + " connect-timeout=" + connectTimeout.toMillis() + "ms"
                + " command-timeout=" + commandTimeout.toMillis() + "ms"
                + " max-redirects=" + maxRedirects
                + " retry-window=" + retryWindow.toMillis() + "ms"
                + " fail-fast-startup=" + failFastStartup
                + " refresh-interval=" + refreshInterval.toMillis() + "ms"
                + " username=" + (username.isEmpty() ? "(default)" : username)
                + " password=" + (password.isEmpty() ? "(none)" : MASK)
                + " max-bulk-length=" + maxBulkLength
                + " buffer-memory=" + bufferMemory
                + " max-args=" + maxArgs
                + " max-pending-per-client=" + maxPendingPerClient
                + " max-clients=" + maxClients
                + " pubsub-output-buffer=" + pubsubOutputBuffer
                + " log-level=" + logLevel
                + " dedicated-pool.max-idle-per-node=" + dedicatedPool.maxIdlePerNode()
                + " dedicated-pool.idle-timeout=" + dedicatedPool.idleTimeout().toMillis() + "ms"
                + " tracking.max-keys=" + tracking.maxKeys()
                + " tracking.link-timeout=" + tracking.linkTimeout().toMillis() + "ms"
                + " metrics=" + (metrics.enabled() ? metrics.bind() + ":" + metrics.port() : "off")
                + " shutdown-grace-period=" + shutdownGracePeriod.toMillis() + "ms"
                + " " + security.describe() + " present-as-cluster=" + presentAsCluster
                + " read-from=" + readFrom.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                + " read-your-writes-window=" + readYourWritesWindow.toMillis() + "ms"
                + " replica-max-lag=" + replicaMaxLag
                + " scripts.busy-scope=" + (busyScriptsProxyWide ? "proxy" : "node");
    }

    /** Same as {@link #describe()}, so a record printed by accident does not leak the password either. */
    @Override
    public String toString() {
        return "ProxyConfig[" + describe() + "]";
    }
}
