package io.rcproxy.proxy.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;
import io.prometheus.client.hotspot.DefaultExports;
import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.cluster.spi.ClusterListener;
import io.rcproxy.cluster.spi.MasterRead;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Every metric of one proxy, in a {@link CollectorRegistry} of its own (not the JVM-wide default), so
 * several proxies in one JVM (tests) each report their own numbers.
 *
 * <p>Two kinds of metric. Events are counted where they happen, on event loops, through objects resolved
 * once: per-command {@link CommandMetrics} in an array indexed by {@link CommandSpec#id()}, the redirect
 * children, striped adders. State is read when Prometheus scrapes, by {@link ProxyStateCollector}
 * (connections, slot map, in-flight commands), so the hot path pays nothing for it.
 *
 * <p>Threads: the recording methods are called from any event loop; simpleclient's counters and
 * histograms are striped adders, so loops do not contend on one cache line.
 */
public final class ProxyMetrics {

    /** From 50 µs (a pipelined GET on loopback) to 10 s (far beyond any sane command timeout). */
    static final double[] DURATION_BUCKETS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** Label value for requests naming no known command. */
    static final String UNKNOWN_COMMAND = "unknown";

    private final CollectorRegistry registry = new CollectorRegistry();
    private final CommandMetrics[] byCommand;
    private final CommandMetrics unknown;
    private final Counter.Child clientConnections;
    private final Counter.Child rejectedConnections;
    private final Counter.Child protocolErrors;
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final ClusterEvents clusterEvents;
    private final ReplicaReadCounters replicaReads;
    private final InfoCounters infoCounters = new InfoCounters(this);

    public ProxyMetrics(CommandTable commands) {
        Counter commandsTotal = Counter.build("redis_proxy_commands",
                        "Commands answered, by command and outcome (ok, error, redirected)")
                .labelNames("command", "outcome").withoutExemplars().register(registry);
        Histogram durations = Histogram.build("redis_proxy_command_duration_seconds",
                        "Time from reading a request to handing its reply to the client, by command")
                .labelNames("command").buckets(DURATION_BUCKETS).withoutExemplars().register(registry);
        List<CommandSpec> specs = commands.specs();
        byCommand = new CommandMetrics[specs.size()];
        for (CommandSpec spec : specs) {
            byCommand[spec.id()] = new CommandMetrics(spec.name(), commandsTotal, durations);
        }
        unknown = new CommandMetrics(UNKNOWN_COMMAND, commandsTotal, durations);
        clientConnections = counter("redis_proxy_client_connections",
                "Client connections accepted since start, refused ones included");
        rejectedConnections = counter("redis_proxy_rejected_connections",
                "Client connections refused because max-clients was reached");
        protocolErrors = counter("redis_proxy_protocol_errors",
                "Client connections closed after a malformed request");
        RedirectCounter redirects = new RedirectCounter(Counter.build("redis_proxy_redirections",
                        "MOVED, ASK, TRYAGAIN and CLUSTERDOWN replies acted on, by kind")
                .labelNames("kind").withoutExemplars().register(registry));
        replicaReads = new ReplicaReadCounters(registry);
        clusterEvents = new ClusterEvents(redirects, counter("redis_proxy_backend_pushes_dropped",
                "RESP3 push frames that arrived on a backend connection matching replies to commands, and were "
                        + "dropped (none is expected: subscriptions use connections of their own)"), replicaReads);
        DefaultExports.register(registry);
    }

    private Counter.Child counter(String name, String help) {
        return Counter.build(name, help).withoutExemplars().register(registry).labels();
    }

    /**
     * Adds the metrics read at scrape time from the running proxy: call once, when the cluster client and
     * frontend exist.
     */
    public void bind(ClusterClient client, IntSupplier connectedClients) {
        bind(client, connectedClients, () -> 0);
    }

    /** As {@link #bind(ClusterClient, IntSupplier)}, with the count of clients speaking RESP3 now. */
    public void bind(ClusterClient client, IntSupplier connectedClients, IntSupplier resp3Clients) {
        new ProxyStateCollector(client, connectedClients, resp3Clients, bytesReceived, bytesSent).register(registry);
    }

    /** Adds the client-side caching metrics (see {@link TrackingCollector}); call once. */
    public void bindTracking(LongSupplier trackedKeys, LongSupplier invalidationsSent, LongSupplier evictions) {
        new TrackingCollector(trackedKeys, invalidationsSent, evictions).register(registry);
    }

    public CollectorRegistry registry() {
        return registry;
    }

    /** The metrics of {@code spec}'s command; {@code null} means an unknown command. */
    public CommandMetrics command(CommandSpec spec) {
        return spec == null ? unknown : byCommand[spec.id()];
    }

    /** Counts a read kept on the master because its client wrote within the read-your-writes window. */
    public void readYourWritesRead() {
        replicaReads.masterRead(MasterRead.READ_YOUR_WRITES);
    }

    /** For the cluster client: counts redirects, dropped pushes and where reads from replicas went. */
    public ClusterListener clusterListener() {
        return clusterEvents;
    }

    /** A new byte counter for one client connection's pipeline. */
    public ClientTrafficHandler newTrafficHandler() {
        return new ClientTrafficHandler(bytesReceived, bytesSent);
    }

    public void clientAccepted() {
        clientConnections.inc();
    }

    public void clientRejected() {
        rejectedConnections.inc();
    }

    /** The counters INFO shows, which CONFIG RESETSTAT resets. */
    public InfoCounters infoCounters() {
        return infoCounters;
    }

    long connectionsAccepted() {
        return (long) clientConnections.get();
    }

    long connectionsRejected() {
        return (long) rejectedConnections.get();
    }

    long bytesReceived() {
        return bytesReceived.sum();
    }

    long bytesSent() {
        return bytesSent.sum();
    }

    public void protocolError() {
        protocolErrors.inc();
    }
}
