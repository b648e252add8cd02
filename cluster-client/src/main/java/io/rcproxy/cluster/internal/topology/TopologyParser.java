package io.rcproxy.cluster.internal.topology;

import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.cluster.resp.RespValue.ArrayReply;
import io.rcproxy.cluster.resp.RespValue.BulkString;
import io.rcproxy.cluster.resp.RespValue.IntegerReply;
import io.rcproxy.cluster.resp.RespValue.SimpleString;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.HostAndPort;
import io.rcproxy.cluster.topology.Shard;
import io.rcproxy.cluster.topology.SlotMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a CLUSTER SHARDS or CLUSTER SLOTS reply into a {@link SlotMap}. An announced empty or {@code ?}
 * address means "the node you asked", as the cluster spec allows, so the queried host stands in for it.
 * Runs on whichever thread completes the topology query; holds no state.
 */
final class TopologyParser {

    private TopologyParser() {
    }

    /**
     * Parses the RESP2 form of CLUSTER SHARDS: a list of shards, each a flat key/value list. A master whose
     * {@code health} is {@code fail} (or {@code failed}) is recorded as failed, so it is not counted among
     * the masters even while it still owns slots.
     */
    static SlotMap parseShards(RespValue reply, HostAndPort queried, long epoch) {
        return parseShards(reply, queried, epoch, false);
    }

    /**
     * As {@link #parseShards(RespValue, HostAndPort, long)}; with {@code tls}, each node is reached at its
     * {@code tls-port} (its {@code port} when it announces none) and at its announced {@code endpoint}
     * (the hostname, when the cluster prefers hostnames: what the node's certificate names).
     */
    static SlotMap parseShards(RespValue reply, HostAndPort queried, long epoch, boolean tls) {
        ClusterNode[] owners = new ClusterNode[SlotMap.SLOT_COUNT];
        List<Shard> shards = new ArrayList<>();
        Set<ClusterNode> failed = new HashSet<>();
        for (RespValue shardValue : elements(reply)) {
            Map<String, RespValue> shard = asMap(shardValue);
            ClusterNode master = null;
            List<ClusterNode> replicas = new ArrayList<>();
            List<ClusterNode> readable = new ArrayList<>();
            Map<ClusterNode, Long> offsets = new HashMap<>();
            long masterOffset = -1;
            for (RespValue nodeValue : elements(shard.get("nodes"))) {
                Map<String, RespValue> node = asMap(nodeValue);
                String ip = text(node.get(tls && usable(text(node.get("endpoint"))) ? "endpoint" : "ip"));
                if (ip == null || ip.isEmpty() || ip.equals("?")) {
                    ip = queried.host();
                }
                RespValue portValue = tls && node.get("tls-port") != null ? node.get("tls-port") : node.get("port");
                if (portValue == null) {
                    continue; // a TLS-only node, and this client speaks plain TCP
                }
                ClusterNode clusterNode = ClusterNode.of(ip, (int) integer(portValue));
                RespValue offset = node.get("replication-offset");
                if ("master".equals(text(node.get("role")))) {
                    master = clusterNode;
                    masterOffset = offset == null ? -1 : integer(offset);
                    String health = text(node.get("health"));
                    if (health != null && health.startsWith("fail")) {
                        failed.add(clusterNode);
                    }
                } else {
                    replicas.add(clusterNode);
                    if (offset != null) {
                        offsets.put(clusterNode, integer(offset));
                    }
                    if ("online".equals(text(node.get("health")))) {
                        readable.add(clusterNode); // loading (syncing) or failed replicas serve no reads
                    }
                }
            }
            List<RespValue> ranges = elements(shard.get("slots"));
            if (master == null) {
                continue;
            }
            for (int i = 0; i + 1 < ranges.size(); i += 2) {
                fill(owners, (int) integer(ranges.get(i)), (int) integer(ranges.get(i + 1)), master);
            }
            shards.add(new Shard(master, replicas, readable, lags(masterOffset, offsets)));
        }
        return SlotMap.of(owners, shards, failed, epoch);
    }

    /** Each replica's distance behind the master's offset, never negative; none when the master's is unknown. */
    private static Map<ClusterNode, Long> lags(long masterOffset, Map<ClusterNode, Long> offsets) {
        Map<ClusterNode, Long> lags = new HashMap<>();
        if (masterOffset >= 0) {
            offsets.forEach((replica, offset) -> lags.put(replica, Math.max(0, masterOffset - offset)));
        }
        return lags;
    }

    /** Parses CLUSTER SLOTS: {@code [start, end, [ip, port, id], replica...]} per range. */
    static SlotMap parseSlots(RespValue reply, HostAndPort queried, long epoch) {
        ClusterNode[] owners = new ClusterNode[SlotMap.SLOT_COUNT];
        Map<ClusterNode, List<ClusterNode>> replicasByMaster = new HashMap<>();
        List<ClusterNode> order = new ArrayList<>();
        for (RespValue rangeValue : elements(reply)) {
            List<RespValue> range = elements(rangeValue);
            if (range.size() < 3) {
                throw new IllegalArgumentException("CLUSTER SLOTS entry too short: " + range);
            }
            ClusterNode master = node(range.get(2), queried);
            fill(owners, (int) integer(range.get(0)), (int) integer(range.get(1)), master);
            List<ClusterNode> replicas = replicasByMaster.get(master);
            if (replicas == null) {
                replicas = new ArrayList<>();
                replicasByMaster.put(master, replicas);
                order.add(master);
            }
            for (int i = 3; i < range.size(); i++) {
                ClusterNode replica = node(range.get(i), queried);
                if (!replicas.contains(replica)) {
                    replicas.add(replica);
                }
            }
        }
        List<Shard> shards = new ArrayList<>();
        for (ClusterNode master : order) {
            shards.add(new Shard(master, replicasByMaster.get(master)));
        }
        return SlotMap.of(owners, shards, epoch);
    }

    private static ClusterNode node(RespValue value, HostAndPort queried) {
        List<RespValue> fields = elements(value);
        String ip = text(fields.get(0));
        if (ip == null || ip.isEmpty() || ip.equals("?")) {
            ip = queried.host();
        }
        return ClusterNode.of(ip, (int) integer(fields.get(1)));
    }

    private static void fill(ClusterNode[] owners, int start, int end, ClusterNode node) {
        if (start < 0 || end >= SlotMap.SLOT_COUNT || start > end) {
            throw new IllegalArgumentException("bad slot range " + start + "-" + end);
        }
        for (int slot = start; slot <= end; slot++) {
            owners[slot] = node;
        }
    }

    private static List<RespValue> elements(RespValue value) {
        if (value instanceof ArrayReply array && array.elements() != null) {
            return array.elements();
        }
        throw new IllegalArgumentException("expected an array in topology reply, got " + value);
    }

    private static Map<String, RespValue> asMap(RespValue value) {
        List<RespValue> flat = elements(value);
        Map<String, RespValue> map = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(text(flat.get(i)), flat.get(i + 1));
        }
        return map;
    }

    /** An announced address to dial: not missing, empty or {@code ?} ("the node you asked"). */
    private static boolean usable(String endpoint) {
        return endpoint != null && !endpoint.isEmpty() && !endpoint.equals("?");
    }

    private static String text(RespValue value) {
        if (value instanceof BulkString bulk) {
            return bulk.asString();
        }
        if (value instanceof SimpleString simple) {
            return simple.value();
        }
        return null;
    }

    private static long integer(RespValue value) {
        if (value instanceof IntegerReply integer) {
            return integer.value();
        }
        String text = text(value);
        if (text != null) {
            return Long.parseLong(text);
        }
        throw new IllegalArgumentException("expected an integer in topology reply, got " + value);
    }
}
