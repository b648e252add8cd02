package io.rcproxy.cluster.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a test cluster has settled: every running node says {@code cluster_state:ok},
 * sees every other running node without a failure or handshake flag, serves the same
 * {@code CLUSTER SLOTS} view as the others, that view covers all 16384 slots exactly once and lists
 * every running replica, and every running replica's link to its master is up.
 *
 * <p>{@code cluster_state:ok} alone is not enough: with {@code cluster-require-full-coverage no}
 * a node reports ok while slots are still unassigned or while its peers disagree.
 * Runs on the test thread; stateless.
 */
final class ClusterReadiness {

    private ClusterReadiness() {
    }

    /** Waits until {@link #problem} finds nothing, or throws with the last problem seen. */
    static void await(List<ClusterNode> nodes, long timeoutMillis, Object what) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        String problem;
        do {
            problem = problem(nodes);
            if (problem == null) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new RedisTestException(what + " did not become ready within " + timeoutMillis + " ms: " + problem);
    }

    /** What is not ready yet, or {@code null} when the cluster has settled. */
    static String problem(List<ClusterNode> nodes) {
        List<ClusterNode> running = nodes.stream().filter(ClusterNode::isRunning).toList();
        if (running.isEmpty()) {
            return "no node is running";
        }
        Set<String> runningIds = new HashSet<>(ClusterNode.idsOf(running));
        List<SlotRange> agreed = null;
        int agreedPort = 0;
        Set<Integer> runningReplicaPorts = new HashSet<>();
        try {
            for (ClusterNode node : running) {
                try (RedisTestConnection c = node.connect()) {
                    String info = c.callText("CLUSTER", "INFO");
                    if (!info.contains("cluster_state:ok")) {
                        return "node " + node.port() + " reports " + line(info, "cluster_state");
                    }
                    String problem = peersProblem(node, c.callText("CLUSTER", "NODES"), runningIds, runningReplicaPorts);
                    if (problem != null) {
                        return problem;
                    }
                    List<SlotRange> view = SlotRange.fromClusterSlots(c.call("CLUSTER", "SLOTS"));
                    if (agreed == null) {
                        problem = coverageProblem(view);
                        if (problem != null) {
                            return "node " + node.port() + ": " + problem;
                        }
                        agreed = view;
                        agreedPort = node.port();
                    } else if (!agreed.equals(view)) {
                        return "CLUSTER SLOTS differs: node " + agreedPort + " says " + agreed
                                + ", node " + node.port() + " says " + view;
                    }
                }
            }
        } catch (RuntimeException e) {
            return "a node did not answer: " + e;
        }
        Set<Integer> listedReplicas = new HashSet<>();
        for (SlotRange range : agreed) {
            listedReplicas.addAll(range.replicaPorts());
        }
        if (!listedReplicas.containsAll(runningReplicaPorts)) {
            return "CLUSTER SLOTS " + agreed + " does not list every running replica " + runningReplicaPorts;
        }
        return null;
    }

    /** Checks one node's view of its peers; collects the running replicas as a side effect. */
    private static String peersProblem(ClusterNode node, String clusterNodes, Set<String> runningIds,
                                       Set<Integer> runningReplicaPorts) {
        Set<String> healthy = new HashSet<>();
        for (ClusterNodesEntry entry : ClusterNodesEntry.parse(clusterNodes)) {
            if (entry.isHealthy()) {
                healthy.add(entry.id());
            }
            if (entry.isMyself() && !entry.isMaster()) {
                runningReplicaPorts.add(node.port());
                try (RedisTestConnection c = node.connect()) {
                    String replication = c.callText("INFO", "replication");
                    if (!replication.contains("master_link_status:up")) {
                        return "replica " + node.port() + " reports " + line(replication, "master_link_status");
                    }
                }
            }
        }
        if (!healthy.containsAll(runningIds)) {
            return "node " + node.port() + " does not yet see every running node as healthy:\n" + clusterNodes;
        }
        return null;
    }

    /** The ranges must tile 0..16383 without gap or overlap. */
    static String coverageProblem(List<SlotRange> ranges) {
        int next = 0;
        List<String> gaps = new ArrayList<>();
        for (SlotRange range : ranges) {
            if (range.start() != next) {
                gaps.add(range.start() < next ? "overlap at " + range.start() : "gap " + next + "-" + (range.start() - 1));
            }
            next = Math.max(next, range.end() + 1);
        }
        if (next != RedisClusterProcess.SLOTS) {
            gaps.add("gap " + next + "-" + (RedisClusterProcess.SLOTS - 1));
        }
        return gaps.isEmpty() ? null : "slots not covered exactly once: " + gaps;
    }

    private static String line(String info, String field) {
        for (String l : info.split("\r?\n")) {
            if (l.startsWith(field + ":")) {
                return l.trim();
            }
        }
        return field + " missing";
    }
}
