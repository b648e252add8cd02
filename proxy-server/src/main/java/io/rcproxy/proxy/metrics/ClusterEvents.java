package io.rcproxy.proxy.metrics;

import io.prometheus.client.Counter;
import io.rcproxy.cluster.resp.RedirectKind;
import io.rcproxy.cluster.spi.ClusterListener;
import io.rcproxy.cluster.topology.ClusterNode;

/**
 * What the cluster client reports, turned into counters: redirects by kind ({@link RedirectCounter}) and
 * push frames dropped because they arrived on a connection that matches replies to commands. Runs on event
 * loops; every child is created up front.
 */
final class ClusterEvents implements ClusterListener {

    private final RedirectCounter redirects;
    private final Counter.Child pushesDropped;

    ClusterEvents(RedirectCounter redirects, Counter.Child pushesDropped) {
        this.redirects = redirects;
        this.pushesDropped = pushesDropped;
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
