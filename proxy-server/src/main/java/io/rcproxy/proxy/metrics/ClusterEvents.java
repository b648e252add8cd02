package io.rcproxy.proxy.metrics;

import io.prometheus.client.Counter;
import io.rcproxy.cluster.resp.RedirectKind;
import io.rcproxy.cluster.spi.ClusterListener;
import io.rcproxy.cluster.spi.MasterRead;
import io.rcproxy.cluster.topology.ClusterNode;

/**
 * What the cluster client reports, turned into counters: redirects by kind ({@link RedirectCounter}), push
 * frames dropped because they arrived on a connection that matches replies to commands, and where reads
 * went when reading from replicas ({@link ReplicaReadCounters}). Runs on event loops.
 */
final class ClusterEvents implements ClusterListener {

    private final RedirectCounter redirects;
    private final Counter.Child pushesDropped;
    private final ReplicaReadCounters replicaReads;

    ClusterEvents(RedirectCounter redirects, Counter.Child pushesDropped, ReplicaReadCounters replicaReads) {
        this.redirects = redirects;
        this.pushesDropped = pushesDropped;
        this.replicaReads = replicaReads;
    }

    @Override
    public void onReplicaRead(ClusterNode replica) {
        replicaReads.replicaRead(replica);
    }

    @Override
    public void onMasterRead(MasterRead reason) {
        replicaReads.masterRead(reason);
    }

    @Override
    public void onNodeLatency(ClusterNode node, long smoothedNanos) {
        replicaReads.latency(node, smoothedNanos);
    }

    @Override
    public void onRedirect(RedirectKind kind) {
        redirects.onRedirect(kind);
    }

    @Override
    public void onPushDropped(ClusterNode node) {
        pushesDropped.inc();
    }
}
