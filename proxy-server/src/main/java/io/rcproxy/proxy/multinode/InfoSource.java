package io.rcproxy.proxy.multinode;

import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.proxy.config.ProxyConfig;

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

    /** CONFIG RESETSTAT: the proxy's own INFO counters start again from zero. */
    void resetStats();
}
