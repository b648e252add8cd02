package io.rcproxy.proxy.multinode;

import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.proxy.config.ProxyConfig;
import io.rcproxy.proxy.metrics.InfoCounters;

/**
 * What INFO reports about the proxy itself, as opposed to what it gathers from the nodes. The frontend's
 * shared context supplies it; multi-node commands see no more of the frontend than this.
 *
 * <p>Thread: any; each method reads state that is safe to read from any loop.
 */
public interface InfoSource {

    ProxyConfig config();

    ClusterClient client();

    /** Client connections open now. */
    int connectedClientCount();

    /** Clients blocked now in a blocking command sent through the proxy. */
    int blockedClientCount();

    /** Clients with CLIENT TRACKING on (INFO's {@code tracking_clients}). */
    int trackingClientCount();

    /** Keys in the proxy's tracking tables, every loop's (INFO's {@code tracking_total_keys}). */
    long trackedKeyCount();

    /** The proxy's own INFO counters (connections, bytes), since start or the last CONFIG RESETSTAT. */
    InfoCounters infoCounters();

    /** 40 hex digits, random per proxy process: INFO's {@code run_id} and {@code master_replid}. */
    String runId();

    /** Whether the proxy presents itself as a one-node cluster ({@code proxy.cluster-mode}). */
    boolean clusterMode();

    /** CONFIG RESETSTAT: the proxy's own INFO counters start again from zero. */
    void resetStats();

    /**
     * The nodes accepted {@code CONFIG SET parameter value} (one call per pair): the proxy follows the
     * settings it mirrors (the busy-script threshold).
     */
    void configSetAccepted(String parameter, String value);
}
