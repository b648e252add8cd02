package io.rcproxy.cluster.testkit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One entry of a {@code CLUSTER SLOTS} reply reduced to what the tests compare: the slot range,
 * the master's port and its replicas' ports (sorted). All nodes run on loopback, so a port names
 * a node. Immutable.
 *
 * @param start first slot, inclusive
 * @param end last slot, inclusive
 * @param masterPort port of the master serving the range
 * @param replicaPorts ports of the replicas the node reported, sorted ascending
 */
public record SlotRange(int start, int end, int masterPort, List<Integer> replicaPorts) {

    public SlotRange {
        replicaPorts = List.copyOf(replicaPorts);
    }

    /** Whether {@code slot} lies in this range. */
    public boolean contains(int slot) {
        return slot >= start && slot <= end;
    }

    /** Parses a {@code CLUSTER SLOTS} reply (as returned by {@link RedisTestConnection}), sorted by start slot. */
    public static List<SlotRange> fromClusterSlots(Object reply) {
        List<SlotRange> ranges = new ArrayList<>();
        for (Object entry : (List<?>) reply) {
            List<?> fields = (List<?>) entry;
            int start = ((Long) fields.get(0)).intValue();
            int end = ((Long) fields.get(1)).intValue();
            int master = portOf(fields.get(2));
            List<Integer> replicas = new ArrayList<>();
            for (int i = 3; i < fields.size(); i++) {
                replicas.add(portOf(fields.get(i)));
            }
            replicas.sort(Comparator.naturalOrder());
            ranges.add(new SlotRange(start, end, master, replicas));
        }
        ranges.sort(Comparator.comparingInt(SlotRange::start));
        return ranges;
    }

    /** A node entry is {@code [ip, port, id, ...]}; the ip may be a bulk or a simple string. */
    private static int portOf(Object node) {
        return ((Long) ((List<?>) node).get(1)).intValue();
    }

    @Override
    public String toString() {
        return start + "-" + end + "@" + masterPort + (replicaPorts.isEmpty() ? "" : "+" + replicaPorts);
    }
}
