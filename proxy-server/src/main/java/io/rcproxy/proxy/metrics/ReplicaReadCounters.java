package io.rcproxy.proxy.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.rcproxy.cluster.spi.MasterRead;
import io.rcproxy.cluster.topology.ClusterNode;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where reads go when the proxy reads from replicas: reads sent to each replica, reads that went to the
 * master by {@link MasterRead reason}, and the smoothed round trips {@code read-from = nearest} chooses by.
 *
 * <p>Threads: counted from any event loop. The per-replica children sit in an array by
 * {@link ClusterNode#index()}, published through a volatile field: a read costs an array read and a
 * striped add; only a replica's first read takes the lock that adds its child. The reason children are
 * made up front, so every reason shows from the first scrape.
 */
final class ReplicaReadCounters {

    private final Counter replicaReads;
    private final Counter.Child[] byReason = new Counter.Child[MasterRead.values().length];
    private final Gauge latency;
    private volatile Counter.Child[] byReplica = new Counter.Child[0];

    ReplicaReadCounters(CollectorRegistry registry) {
        replicaReads = Counter.build("redis_proxy_replica_reads",
                        "Reads sent to a replica, by replica (host:port)")
                .labelNames("node").withoutExemplars().register(registry);
        Counter toMaster = Counter.build("redis_proxy_master_reads",
                        "Reads that could have gone to a replica but went to the master, by reason")
                .labelNames("reason").withoutExemplars().register(registry);
        for (MasterRead reason : MasterRead.values()) {
            byReason[reason.ordinal()] = toMaster.labels(reason.name().toLowerCase(Locale.ROOT));
        }
        latency = Gauge.build("redis_proxy_node_latency_seconds",
                        "Smoothed PING round trip to a node, as the last event loop to probe it measured it "
                                + "(read-from = nearest only)")
                .labelNames("node").register(registry);
    }

    void replicaRead(ClusterNode replica) {
        Counter.Child[] children = byReplica;
        int i = replica.index();
        Counter.Child child = i < children.length ? children[i] : null;
        (child != null ? child : addChild(replica)).inc();
    }

    private synchronized Counter.Child addChild(ClusterNode replica) {
        Counter.Child[] children = byReplica;
        int i = replica.index();
        if (i < children.length && children[i] != null) {
            return children[i];
        }
        Counter.Child[] grown = Arrays.copyOf(children, Math.max(children.length, i + 1));
        grown[i] = replicaReads.labels(replica.address().toString());
        byReplica = grown;
        return grown[i];
    }

    void masterRead(MasterRead reason) {
        byReason[reason.ordinal()].inc();
    }

    void latency(ClusterNode node, long smoothedNanos) {
        latency.labels(node.address().toString()).set(smoothedNanos / 1e9);
    }
}
