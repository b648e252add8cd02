package io.rcproxy.cluster.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns freshly started, empty cluster-enabled nodes into one cluster the way {@code redis-cli
 * --cluster create} does, but from Java so the fixture does not depend on redis-cli's output:
 * distinct config epochs and an even slot split on the masters, {@code CLUSTER MEET} from the first
 * node to every other, then {@code CLUSTER REPLICATE} once every node knows every other.
 * Runs on the test thread; stateless.
 */
final class ClusterFormation {

    private static final int POLL_MILLIS = 50;

    private ClusterFormation() {
    }

    /**
     * Forms the cluster. {@code replicas.get(i * perMaster + k)} becomes replica {@code k} of
     * {@code masters.get(i)}. Returns once the replicas were told whom to follow; the caller waits
     * for the cluster to settle.
     */
    static void form(List<ClusterNode> masters, List<ClusterNode> replicas, int perMaster, long timeoutMillis)
            throws InterruptedException {
        for (int i = 0; i < masters.size(); i++) {
            try (RedisTestConnection c = masters.get(i).connect()) {
                // Distinct epochs up front spare the cluster its epoch-collision resolution rounds.
                c.call("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
                addSlots(c, firstSlot(i, masters.size()), firstSlot(i + 1, masters.size()) - 1);
            }
        }
        List<ClusterNode> all = new ArrayList<>(masters);
        all.addAll(replicas);
        try (RedisTestConnection first = all.get(0).connect()) {
            for (ClusterNode node : all.subList(1, all.size())) {
                first.call("CLUSTER", "MEET", RedisClusterProcess.HOST, Integer.toString(node.port()));
            }
        }
        awaitEveryoneKnowsEveryone(all, timeoutMillis);
        for (int r = 0; r < replicas.size(); r++) {
            ClusterNode master = masters.get(r / perMaster);
            try (RedisTestConnection c = replicas.get(r).connect()) {
                c.call("CLUSTER", "REPLICATE", master.id());
            }
        }
    }

    /** Slot {@code i * 16384 / n}: the ranges differ in size by at most one slot. */
    static int firstSlot(int index, int count) {
        return (int) ((long) index * RedisClusterProcess.SLOTS / count);
    }

    private static void addSlots(RedisTestConnection c, int from, int to) {
        Object reply = c.callRaw("CLUSTER", "ADDSLOTSRANGE", Integer.toString(from), Integer.toString(to));
        if (reply instanceof RedisErrorReply error) {
            if (!error.message().toLowerCase().contains("unknown subcommand")) {
                throw new RedisTestException(error);
            }
            // Redis before 7.0 has no ADDSLOTSRANGE; name every slot instead.
            String[] args = new String[2 + to - from + 1];
            args[0] = "CLUSTER";
            args[1] = "ADDSLOTS";
            for (int slot = from; slot <= to; slot++) {
                args[2 + slot - from] = Integer.toString(slot);
            }
            c.call(args);
        }
    }

    private static void awaitEveryoneKnowsEveryone(List<ClusterNode> all, long timeoutMillis)
            throws InterruptedException {
        Set<String> expected = new HashSet<>(ClusterNode.idsOf(all));
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        String lastView = "";
        while (System.nanoTime() < deadline) {
            boolean converged = true;
            for (ClusterNode node : all) {
                Set<String> known = new HashSet<>();
                try (RedisTestConnection c = node.connect()) {
                    lastView = c.callText("CLUSTER", "NODES");
                }
                for (ClusterNodesEntry entry : ClusterNodesEntry.parse(lastView)) {
                    if (entry.isHealthy()) {
                        known.add(entry.id());
                    }
                }
                if (!known.equals(expected)) {
                    converged = false;
                    break;
                }
            }
            if (converged) {
                return;
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new RedisTestException("nodes did not all meet within " + timeoutMillis + " ms; last CLUSTER NODES:\n"
                + lastView);
    }
}
