package io.rcproxy.proxy.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.dispatch.ConnectionCensus;
import io.rcproxy.cluster.internal.memory.BufferBudget;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The metrics that describe state rather than count events, computed at each scrape: client and backend
 * connections, commands in flight, the slot map, topology refreshes, bytes moved and the buffer budget.
 *
 * <p>Thread: the scraping thread (the metrics listener's own loop, never a data loop). Backend connections
 * are confined to their event loops, so they are counted by a {@link ConnectionCensus}, which asks each
 * loop and waits at most {@link #CENSUS_TIMEOUT_MILLIS}; the other values are atomics or immutable
 * snapshots read directly.
 */
final class ProxyStateCollector extends Collector {

    static final long CENSUS_TIMEOUT_MILLIS = 1000;

    private final ClusterClient client;
    private final IntSupplier connectedClients;
    private final IntSupplier resp3Clients;
    private final LongAdder bytesReceived;
    private final LongAdder bytesSent;

    ProxyStateCollector(ClusterClient client, IntSupplier connectedClients, IntSupplier resp3Clients,
                        LongAdder bytesReceived, LongAdder bytesSent) {
        this.client = client;
        this.connectedClients = connectedClients;
        this.resp3Clients = resp3Clients;
        this.bytesReceived = bytesReceived;
        this.bytesSent = bytesSent;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> families = new ArrayList<>();
        families.add(new GaugeMetricFamily("redis_proxy_client_connections",
                "Client connections open now", connectedClients.getAsInt()));
        families.add(new GaugeMetricFamily("redis_proxy_resp3_client_connections",
                "Client connections speaking RESP3 now (HELLO 3)", resp3Clients.getAsInt()));
        families.add(new CounterMetricFamily("redis_proxy_client_bytes_received",
                "Bytes read from client connections", bytesReceived.sum()));
        families.add(new CounterMetricFamily("redis_proxy_client_bytes_sent",
                "Bytes written to client connections", bytesSent.sum()));

        SlotMap map = client.slotMap();
        families.add(new GaugeMetricFamily("redis_proxy_slot_map_epoch",
                "Epoch of the slot map in use; grows with every change the proxy sees", map.epoch()));
        families.add(new GaugeMetricFamily("redis_proxy_covered_slots",
                "Hash slots (of 16384) that have an owner in the slot map", map.coveredSlots()));
        families.add(new GaugeMetricFamily("redis_proxy_cluster_masters",
                "Masters in the slot map", map.masters().size()));
        families.add(new CounterMetricFamily("redis_proxy_topology_refreshes",
                "Topology queries completed (CLUSTER SHARDS or SLOTS), failed ones included",
                client.topology().refreshCount()));

        ConnectionCensus census = ConnectionCensus.take(client.routers(), CENSUS_TIMEOUT_MILLIS);
        GaugeMetricFamily backends = new GaugeMetricFamily("redis_proxy_backend_connections",
                "Backend connections over all event loops, by node and state", List.of("node", "state"));
        for (ClusterNode node : census.nodes()) {
            for (NodeConnection.State state : NodeConnection.State.values()) {
                backends.addMetric(List.of(node.toString(), state.name().toLowerCase(Locale.ROOT)),
                        census.count(node, state));
            }
        }
        families.add(backends);
        GaugeMetricFamily idleDedicated = new GaugeMetricFamily("redis_proxy_backend_idle_dedicated_connections",
                "Dedicated connections (transactions, blocking commands) idle and kept for reuse, by node; not "
                        + "counted in redis_proxy_backend_connections", List.of("node"));
        for (ClusterNode node : census.nodesWithIdleDedicated()) {
            idleDedicated.addMetric(List.of(node.toString()), census.idleDedicated(node));
        }
        families.add(idleDedicated);
        families.add(new CounterMetricFamily("redis_proxy_backend_dedicated_opened",
                "Dedicated backend connections opened (transactions, blocking commands, subscriptions)",
                census.dedicatedOpened()));
        families.add(new CounterMetricFamily("redis_proxy_backend_dedicated_reused",
                "Dedicated backend connections taken from the idle pool instead of opened",
                census.dedicatedReused()));
        families.add(new GaugeMetricFamily("redis_proxy_inflight_requests",
                "Commands sent or queued to Redis nodes and still waiting for their reply", census.inFlight()));

        BufferBudget budget = client.config().limits().budget();
        families.add(new GaugeMetricFamily("redis_proxy_buffer_memory_used_bytes",
                "Bytes of large bulk strings (requests and replies) reserved in the buffer budget now",
                budget.used()));
        families.add(new GaugeMetricFamily("redis_proxy_buffer_memory_limit_bytes",
                "The buffer budget: proxy.limits.buffer-memory", budget.limit()));
        return families;
    }
}
