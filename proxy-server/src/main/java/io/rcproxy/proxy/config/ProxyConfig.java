package io.rcproxy.proxy.config;

import io.rcproxy.cluster.ClusterClientConfig;
import io.rcproxy.cluster.connection.Transport;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.topology.HostAndPort;
import java.time.Duration;
import java.util.List;

/**
 * The proxy's effective configuration: one immutable record, whatever fed it (defaults, a HOCON file,
 * flags, environment). Read by every part of the proxy at start-up; never changes afterwards.
 *
 * @param maxPendingPerClient replies a client may have outstanding before the proxy stops reading from it
 * @param pubsubOutputBuffer  bytes of published messages a subscriber may have waiting to be written before
 *                            the proxy disconnects it
 * @param metrics             the HTTP listener for metrics and health probes
 * @param shutdownGracePeriod how long a shutdown waits for in-flight requests to finish
 */
public record ProxyConfig(String bind, int port, List<HostAndPort> seeds, int eventLoops, Transport transport,
                          int connectionsPerNode, Duration connectTimeout, Duration commandTimeout,
                          int maxRedirects, Duration refreshInterval, int maxBulkLength, int maxArgs,
                          int maxPendingPerClient, int maxClients, long pubsubOutputBuffer, MetricsConfig metrics,
                          Duration shutdownGracePeriod) {

    /** The cluster client's view of this configuration. */
    public ClusterClientConfig clusterClientConfig() {
        return new ClusterClientConfig(seeds, connectionsPerNode, connectTimeout, commandTimeout, maxRedirects,
                refreshInterval, Duration.ofMillis(100), RespLimits.DEFAULT, transport, eventLoops);
    }
}
