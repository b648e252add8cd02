package io.rcproxy.proxy.multinode;

import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.metrics.InfoCounters;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The INFO values that describe the proxy itself rather than the nodes: the {@code proxy} fields of
 * {@code info-fields.tsv} (the server section, clients, connection counters, the replication role of a
 * standalone master, cluster mode) and the proxy's own {@code # Proxy} section.
 *
 * <p>Thread: the client's event loop; it reads state that is safe to read from any loop.
 */
final class ProxyInfo {

    /** The proxy's version, as INFO reports it. */
    static final String PROXY_VERSION = "0.1.0";

    private ProxyInfo() {
    }

    static long uptimeSeconds() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
    }

    /** The proxy's values of {@code section}'s {@code proxy} fields. */
    static Map<String, String> values(String section, InfoSource context) {
        Map<String, String> v = new LinkedHashMap<>();
        switch (section) {
            case "server" -> server(v, context);
            case "clients" -> {
                v.put("connected_clients", Integer.toString(context.connectedClientCount()));
                v.put("cluster_connections", "0");
                v.put("maxclients", Integer.toString(context.config().maxClients()));
                v.put("client_recent_max_input_buffer", "0");
                v.put("client_recent_max_output_buffer", "0");
                v.put("blocked_clients", Integer.toString(context.blockedClientCount()));
                v.put("tracking_clients", Integer.toString(context.trackingClientCount()));
                v.put("clients_in_timeout_table", Integer.toString(context.blockedClientCount()));
            }
            case "stats" -> {
                InfoCounters counters = context.infoCounters();
                v.put("total_connections_received", Long.toString(counters.connectionsReceived()));
                v.put("total_net_input_bytes", Long.toString(counters.netInputBytes()));
                v.put("total_net_output_bytes", Long.toString(counters.netOutputBytes()));
                v.put("rejected_connections", Long.toString(counters.connectionsRejected()));
                // The clients' keys live in the proxy's tables; the nodes only see its BCAST links.
                v.put("tracking_total_keys", Long.toString(context.trackedKeyCount()));
            }
            case "replication" -> {
                // One standalone master without replicas: clients must not be sent to the cluster's nodes.
                v.put("role", "master");
                v.put("connected_slaves", "0");
                v.put("master_failover_state", "no-failover");
                v.put("master_replid", context.runId());
                v.put("master_replid2", "0000000000000000000000000000000000000000");
                v.put("second_repl_offset", "-1");
            }
            case "cluster" -> v.put("cluster_enabled", context.clusterMode() ? "1" : "0");
            default -> { }
        }
        return v;
    }

    private static void server(Map<String, String> v, InfoSource context) {
        long uptime = uptimeSeconds();
        long nowMicros = System.currentTimeMillis() * 1000;
        v.put("redis_version", CommandTable.REDIS_VERSION);
        v.put("redis_git_sha1", "00000000");
        v.put("redis_git_dirty", "0");
        v.put("redis_build_id", "0");
        v.put("redis_mode", context.clusterMode() ? "cluster" : "standalone");
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + arch());
        v.put("arch_bits", System.getProperty("sun.arch.data.model", "64"));
        v.put("monotonic_clock", "POSIX clock_gettime");
        v.put("multiplexing_api", context.config().transport().name().toLowerCase(Locale.ROOT));
        v.put("atomicvar_api", "c11-builtin");
        v.put("gcc_version", "0.0.0");
        v.put("process_id", Long.toString(ProcessHandle.current().pid()));
        v.put("process_supervised", "no");
        v.put("run_id", context.runId());
        v.put("tcp_port", Integer.toString(context.config().port()));
        v.put("server_time_usec", Long.toString(nowMicros));
        v.put("uptime_in_seconds", Long.toString(uptime));
        v.put("uptime_in_days", Long.toString(uptime / 86_400));
        v.put("hz", "10");
        v.put("configured_hz", "10");
        v.put("lru_clock", Long.toString((nowMicros / 1_000_000) & ((1 << 24) - 1)));
        v.put("executable", ProcessHandle.current().info().command().orElse(""));
        v.put("config_file", "");
        v.put("io_threads_active", "0");
        v.put("proxy_version", PROXY_VERSION);
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") ? "x86_64" : arch;
    }

    /** The {@code # Proxy} section: the proxy's settings and what it knows of the cluster behind it. */
    static Map<String, String> proxySection(InfoSource context, SlotMap map, int mastersAnswered) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("proxy_version", PROXY_VERSION);
        v.put("uptime_in_seconds", Long.toString(uptimeSeconds()));
        v.put("event_loops", Integer.toString(context.client().routers().size()));
        v.put("connected_clients", Integer.toString(context.connectedClientCount()));
        v.put("connections_per_node", Integer.toString(context.config().connectionsPerNode()));
        v.put("command_timeout_ms", Long.toString(context.config().commandTimeout().toMillis()));
        v.put("cluster_state", map.coversAllSlots() ? "ok" : "fail");
        v.put("cluster_masters", Integer.toString(map.masters().size()));
        v.put("cluster_slots_covered", Integer.toString(map.coveredSlots()));
        v.put("cluster_slot_map_epoch", Long.toString(map.epoch()));
        if (mastersAnswered >= 0) {
            v.put("info_masters_answered", Integer.toString(mastersAnswered));
        }
        return v;
    }
}
