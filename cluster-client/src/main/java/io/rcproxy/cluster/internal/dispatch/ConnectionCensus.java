package io.rcproxy.cluster.internal.dispatch;

import io.rcproxy.cluster.internal.connection.DedicatedConnections;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.topology.ClusterNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A count, taken at one moment, of every backend connection on every event loop: per node and
 * {@link NodeConnection.State}, plus the commands waiting in their FIFOs. Metrics scrapes and readiness
 * probes read it; the hot path never sees it.
 *
 * <p>The per-state counts are of the multiplexed connections only, which is what readiness asks about.
 * Idle dedicated connections (kept for the next transaction or blocking command, see
 * {@link io.rcproxy.cluster.internal.connection.DedicatedConnections}) are counted apart, per node, with how many
 * dedicated connections the loops have opened and reused so far; dedicated connections in use by a
 * client belong to it and are not counted.
 *
 * <p>Threads: connections are confined to their loops, so {@link #take} runs one small task on each
 * loop and merges the answers on the calling thread. A census costs a few microseconds of each loop's
 * time per scrape and nothing per request, where keeping shared counters up to date would cost every
 * state change a cross-thread write. A loop that does not answer within the wait (stuck, or shutting
 * down) is left out and the census says it is {@link #complete() incomplete}.
 */
public final class ConnectionCensus {

    private final Map<ClusterNode, int[]> byNode;
    private final long inFlight;
    private final int loopsCounted;
    private final int loopsAsked;
    private final Dedicated dedicated;

    private ConnectionCensus(Map<ClusterNode, int[]> byNode, long inFlight, int loopsCounted, int loopsAsked,
                             Dedicated dedicated) {
        this.byNode = byNode;
        this.inFlight = inFlight;
        this.loopsCounted = loopsCounted;
        this.loopsAsked = loopsAsked;
        this.dedicated = dedicated;
    }

    /** What one loop saw; built on that loop, read by the caller after the future completes. */
    private record LoopCount(Map<ClusterNode, int[]> byNode, long inFlight, Dedicated dedicated) {
    }

    /** Idle dedicated connections by node, and dedicated connections opened and reused so far. */
    private record Dedicated(Map<ClusterNode, Integer> idle, long opened, long reused) {
        Dedicated plus(Dedicated other) {
            Map<ClusterNode, Integer> sum = new HashMap<>(idle);
            other.idle.forEach((node, n) -> sum.merge(node, n, Integer::sum));
            return new Dedicated(sum, opened + other.opened, reused + other.reused);
        }
    }

    /**
     * Counts the connections of {@code routers}, waiting at most {@code timeoutMillis} in all. Call it
     * from a thread that is not one of the routers' loops (it blocks).
     */
    public static ConnectionCensus take(List<LoopRouter> routers, long timeoutMillis) {
        List<CompletableFuture<LoopCount>> answers = new ArrayList<>(routers.size());
        for (LoopRouter router : routers) {
            CompletableFuture<LoopCount> answer = new CompletableFuture<>();
            answers.add(answer);
            try {
                router.loop().execute(() -> answer.complete(count(router)));
            } catch (RejectedExecutionException shuttingDown) {
                answer.complete(null);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Map<ClusterNode, int[]> merged = new HashMap<>();
        long inFlight = 0;
        int counted = 0;
        Dedicated dedicated = new Dedicated(Map.of(), 0, 0);
        for (CompletableFuture<LoopCount> answer : answers) {
            LoopCount count;
            try {
                count = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException e) {
                continue;
            }
            if (count == null) {
                continue;
            }
            counted++;
            inFlight += count.inFlight();
            dedicated = dedicated.plus(count.dedicated());
            count.byNode().forEach((node, states) -> {
                int[] total = merged.computeIfAbsent(node, n -> new int[NodeConnection.State.values().length]);
                for (int i = 0; i < states.length; i++) {
                    total[i] += states[i];
                }
            });
        }
        return new ConnectionCensus(merged, inFlight, counted, routers.size(), dedicated);
    }

    /** Runs on the router's loop. */
    private static LoopCount count(LoopRouter router) {
        Map<ClusterNode, int[]> byNode = new HashMap<>();
        long[] inFlight = new long[1];
        router.forEachConnection(connection -> {
            byNode.computeIfAbsent(connection.node(), n -> new int[NodeConnection.State.values().length])
                    [connection.state().ordinal()]++;
            inFlight[0] += connection.inFlightCount();
        });
        Map<ClusterNode, Integer> idle = new HashMap<>();
        long opened = 0;
        long reused = 0;
        for (DedicatedConnections dedicated : router.dedicated()) {
            dedicated.forEachIdle(connection -> idle.merge(connection.node(), 1, Integer::sum));
            opened += dedicated.opened();
            reused += dedicated.reused();
        }
        return new LoopCount(byNode, inFlight[0], new Dedicated(idle, opened, reused));
    }

    /** Nodes with at least one connection on some loop. */
    public Iterable<ClusterNode> nodes() {
        return Collections.unmodifiableSet(byNode.keySet());
    }

    /** Connections to {@code node} in {@code state}, over all loops that answered. */
    public int count(ClusterNode node, NodeConnection.State state) {
        int[] states = byNode.get(node);
        return states == null ? 0 : states[state.ordinal()];
    }

    /** Nodes with at least one idle dedicated connection on some loop. */
    public Iterable<ClusterNode> nodesWithIdleDedicated() {
        return Collections.unmodifiableSet(dedicated.idle().keySet());
    }

    /** Idle dedicated connections to {@code node}, over all loops that answered; not in {@link #count}. */
    public int idleDedicated(ClusterNode node) {
        return dedicated.idle().getOrDefault(node, 0);
    }

    /** Dedicated connections opened so far (transactions, blocking commands, subscriptions). */
    public long dedicatedOpened() {
        return dedicated.opened();
    }

    /** Dedicated connections handed out again from an idle pool instead of being opened. */
    public long dedicatedReused() {
        return dedicated.reused();
    }

    /** Commands written or queued to backend connections and still waiting for their reply. */
    public long inFlight() {
        return inFlight;
    }

    /** True when every loop answered in time. */
    public boolean complete() {
        return loopsCounted == loopsAsked;
    }

    @Override
    public String toString() {
        return "ConnectionCensus{nodes=" + byNode.size() + ", inFlight=" + inFlight + ", loops=" + loopsCounted
                + "/" + loopsAsked + "}";
    }
}
