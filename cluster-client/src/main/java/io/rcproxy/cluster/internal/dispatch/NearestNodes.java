package io.rcproxy.cluster.internal.dispatch;

import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.spi.ClusterListener;
import io.rcproxy.cluster.topology.ClusterNode;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * One loop's view of how fast each node answers, and from it the node each master's reads go to with
 * {@code read-from = nearest}: the master itself or one of its readable replicas.
 *
 * <p><b>Measure.</b> Every {@link #PROBE_INTERVAL_MILLIS} the loop sends one {@link LatencyProbe PING} to
 * each candidate node, on the first of its connections to that node, behind whatever that connection
 * already carries: a node busy with this loop's traffic measures slower, which is the point. The round
 * trips are smoothed (each new one weighs {@code 1/}{@link #SMOOTHING}). A probe still unanswered at the
 * next round counts as a sample as long as it has waited, so a node that stalls loses its place without
 * waiting for the command timeout; a probe that fails (connection down, error reply) makes its node
 * unmeasured, and unmeasured nodes are never chosen.
 *
 * <p><b>Choose.</b> After each answer the choice is made again, off the request path; a read only reads
 * the chosen node from an array. The current choice stays while it is measured and connected unless
 * another candidate is both {@link #SWITCH_PERCENT}% of its latency or less and faster by at least
 * {@link #SWITCH_MIN_GAIN_NANOS}: nodes of close latency do not trade the reads back and forth, so a
 * client keeps reading one node's history in order.
 *
 * <p>Thread: confined to the loop; per loop, so nothing is shared and nothing locks.
 */
final class NearestNodes {

    static final long PROBE_INTERVAL_MILLIS = 1000;
    static final long SMOOTHING = 4;
    static final long SWITCH_PERCENT = 80;
    static final long SWITCH_MIN_GAIN_NANOS = 50_000;

    private static final ClusterNode[] NONE = new ClusterNode[0];

    private final Function<ClusterNode, NodeConnection> masterConnection;
    private final Function<ClusterNode, NodeConnection> replicaConnection;
    private final ClusterListener listener;
    private final Predicate<ClusterNode> usable = node -> connectionTo(node).isUsable();
    private final ToLongFunction<ClusterNode> latency = this::smoothedNanos;
    /** Smoothed round trip by node index; 0 while unmeasured. */
    private long[] smoothed = new long[16];
    /** The probe awaiting its answer, by node index. */
    private LatencyProbe[] pending = new LatencyProbe[16];
    /** By master index: the master first, then its readable replicas. */
    private ClusterNode[][] candidatesByMaster = new ClusterNode[0][];
    /** By master index: where its reads go; null while no candidate is measured and connected. */
    private ClusterNode[] chosenByMaster = NONE;
    /** Whether each node index is the master of its candidate list, to pick the pool a probe uses. */
    private boolean[] isMaster = new boolean[0];

    NearestNodes(Function<ClusterNode, NodeConnection> masterConnection,
                 Function<ClusterNode, NodeConnection> replicaConnection, ClusterListener listener) {
        this.masterConnection = masterConnection;
        this.replicaConnection = replicaConnection;
        this.listener = listener;
    }

    /** The node {@code master}'s reads go to now, or null when none is known: the request path's one read. */
    ClusterNode choice(ClusterNode master) {
        int i = master.index();
        return i < chosenByMaster.length ? chosenByMaster[i] : null;
    }

    /**
     * Takes the candidates of a new slot map ({@code byMaster[m]}: master {@code m} first, then its
     * readable replicas; null where no master has that index). A node that left is forgotten.
     */
    void candidates(ClusterNode[][] byMaster) {
        candidatesByMaster = byMaster;
        int highest = 0;
        for (ClusterNode[] list : byMaster) {
            if (list != null) {
                for (ClusterNode node : list) {
                    highest = Math.max(highest, node.index());
                }
            }
        }
        boolean[] masters = new boolean[highest + 1];
        boolean[] present = new boolean[highest + 1];
        for (ClusterNode[] list : byMaster) {
            if (list != null) {
                masters[list[0].index()] = true;
                for (ClusterNode node : list) {
                    present[node.index()] = true;
                }
            }
        }
        isMaster = masters;
        for (int i = 0; i < smoothed.length; i++) {
            if (i >= present.length || !present[i]) {
                smoothed[i] = 0;
                pending[i] = null; // its answer, if it comes, is ignored
            }
        }
        chooseAgain();
    }

    /** One probe round: a PING to each candidate without one pending; then the choice is made again. */
    void probe() {
        long now = System.nanoTime();
        for (ClusterNode[] list : candidatesByMaster) {
            if (list == null) {
                continue;
            }
            for (ClusterNode node : list) {
                probe(node, now);
            }
        }
        chooseAgain();
    }

    private void probe(ClusterNode node, long now) {
        int i = node.index();
        ensureCapacity(i);
        LatencyProbe waiting = pending[i];
        if (waiting != null) {
            long waited = now - waiting.sentNanos();
            if (waited > smoothed[i]) {
                record(node, waited); // still no answer: at least this slow
            }
            return;
        }
        NodeConnection connection = connectionTo(node);
        if (!connection.isUsable()) {
            smoothed[i] = 0;
            return;
        }
        LatencyProbe probe = new LatencyProbe(node, this, now);
        pending[i] = probe;
        connection.send(probe);
    }

    void onAnswer(LatencyProbe probe, long roundTripNanos) {
        int i = probe.node().index();
        if (i >= pending.length || pending[i] != probe) {
            return; // a node that left meanwhile
        }
        pending[i] = null;
        record(probe.node(), Math.max(1, roundTripNanos));
        chooseAgain();
    }

    void onNoAnswer(LatencyProbe probe) {
        int i = probe.node().index();
        if (i >= pending.length || pending[i] != probe) {
            return;
        }
        pending[i] = null;
        smoothed[i] = 0;
        chooseAgain();
    }

    long smoothedNanos(ClusterNode node) {
        int i = node.index();
        return i < smoothed.length ? smoothed[i] : 0;
    }

    private void record(ClusterNode node, long sampleNanos) {
        int i = node.index();
        long before = smoothed[i];
        long after = before == 0 ? sampleNanos : before + (sampleNanos - before) / SMOOTHING;
        smoothed[i] = Math.max(1, after);
        listener.onNodeLatency(node, smoothed[i]);
    }

    private void chooseAgain() {
        ClusterNode[][] byMaster = candidatesByMaster;
        ClusterNode[] chosen = Arrays.copyOf(chosenByMaster, byMaster.length);
        for (int m = 0; m < byMaster.length; m++) {
            chosen[m] = byMaster[m] == null ? null : choose(chosen[m], byMaster[m], latency, usable);
        }
        chosenByMaster = chosen;
    }

    /**
     * The selection rule with hysteresis: the fastest measured, usable candidate, unless {@code current}
     * is still one and the fastest beats it by less than {@link #SWITCH_PERCENT}% and
     * {@link #SWITCH_MIN_GAIN_NANOS}; null when no candidate is measured and usable.
     */
    static ClusterNode choose(ClusterNode current, ClusterNode[] candidates, ToLongFunction<ClusterNode> latency,
                              Predicate<ClusterNode> usable) {
        ClusterNode best = null;
        long bestNanos = Long.MAX_VALUE;
        boolean currentStays = false;
        for (ClusterNode node : candidates) {
            long nanos = latency.applyAsLong(node);
            if (nanos <= 0 || !usable.test(node)) {
                continue;
            }
            if (node.equals(current)) {
                currentStays = true;
            }
            if (nanos < bestNanos) {
                best = node;
                bestNanos = nanos;
            }
        }
        if (!currentStays || best == null) {
            return best;
        }
        long currentNanos = latency.applyAsLong(current);
        boolean muchFaster = bestNanos * 100 <= currentNanos * SWITCH_PERCENT
                && currentNanos - bestNanos >= SWITCH_MIN_GAIN_NANOS;
        return muchFaster ? best : current;
    }

    private NodeConnection connectionTo(ClusterNode node) {
        int i = node.index();
        boolean master = i < isMaster.length && isMaster[i];
        return master ? masterConnection.apply(node) : replicaConnection.apply(node);
    }

    private void ensureCapacity(int index) {
        if (index >= smoothed.length) {
            int size = Math.max(index + 1, smoothed.length * 2);
            smoothed = Arrays.copyOf(smoothed, size);
            pending = Arrays.copyOf(pending, size);
        }
    }
}
