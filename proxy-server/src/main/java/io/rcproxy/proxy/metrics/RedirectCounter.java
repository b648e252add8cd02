package io.rcproxy.proxy.metrics;

import io.prometheus.client.Counter;
import io.rcproxy.cluster.resp.RedirectKind;
import io.rcproxy.cluster.spi.ClusterListener;
import java.util.Locale;

/**
 * Counts the MOVED, ASK, TRYAGAIN and CLUSTERDOWN replies the routers act on, by kind. Runs on event
 * loops; the children are created once, up front, so every kind shows from the first scrape.
 */
final class RedirectCounter implements ClusterListener {

    private final Counter.Child[] byKind = new Counter.Child[RedirectKind.values().length];

    RedirectCounter(Counter redirections) {
        for (RedirectKind kind : RedirectKind.values()) {
            if (kind != RedirectKind.NONE) {
                byKind[kind.ordinal()] = redirections.labels(kind.name().toLowerCase(Locale.ROOT));
            }
        }
    }

    @Override
    public void onRedirect(RedirectKind kind) {
        Counter.Child child = byKind[kind.ordinal()];
        if (child != null) {
            child.inc();
        }
    }
}
