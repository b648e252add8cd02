package io.rcproxy.cluster.internal.topology;

import io.netty.channel.EventLoop;
import io.rcproxy.cluster.internal.Backoff;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.HostAndPort;
import io.rcproxy.cluster.topology.SlotMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's current view of the cluster and the machinery that keeps it fresh. The {@link SlotMap} is
 * published through one atomic reference, so routers on every loop read it without locking.
 *
 * <p>Refreshes run on one control event loop, one at a time: a request made while one runs sets a flag
 * that starts exactly one more afterwards, so a storm of MOVED replies costs one or two queries. Each
 * refresh asks the known masters, then the seeds (see {@link TopologyFetch}).
 *
 * <p>Until a first map is loaded, a client started with {@link #retryUntilLoaded()} keeps asking the seeds
 * with a growing pause (logging each failure once per step), and commands fail at once with a
 * {@code CLUSTERDOWN} error instead of waiting; this is how the proxy starts before its cluster does. It
 * goes on asking while the map covers only part of the slots, as a cluster being formed does.
 */
public final class ClusterTopology {

    private static final Logger log = LoggerFactory.getLogger(ClusterTopology.class);

    private static final Backoff FIRST_LOAD = Backoff.FIRST_LOAD;

    /** Sends a command straight to one node, bypassing slot routing; supplied by the control loop's router. */
    public interface NodeSender {
        void sendTo(ClusterNode node, ClusterCommand command);
    }

    /** Completed, once, with the first map that covers every slot. */
    private final CompletableFuture<SlotMap> fullMap = new CompletableFuture<>();
    private final AtomicReference<SlotMap> current = new AtomicReference<>(SlotMap.empty());
    private final List<HostAndPort> seeds;
    private final long minIntervalNanos;
    private final AtomicBoolean refreshRequested = new AtomicBoolean();
    private final AtomicLong refreshes = new AtomicLong();
    private final List<Consumer<SlotMap>> listeners = new CopyOnWriteArrayList<>();
    private EventLoop controlLoop;
    private NodeSender sender;

    // Confined to the control loop.
    private boolean inProgress;
    private long lastRefreshNanos;
    private final List<CompletableFuture<SlotMap>> waiters = new ArrayList<>();
    /** Why the last topology query failed, or null after one succeeded; for health checks. */
    private volatile String lastFailure;
    /** Set by {@link #retryUntilLoaded()}; the pause before the next first-load attempt, 0 once loaded. */
    private volatile long firstLoadRetryMillis;
    private final boolean tls;

    public ClusterTopology(List<HostAndPort> seeds, Duration minRefreshInterval) {
        this(seeds, minRefreshInterval, false);
    }

    /** @param tls the nodes are reached over TLS: topology replies are read for TLS ports and endpoints */
    public ClusterTopology(List<HostAndPort> seeds, Duration minRefreshInterval, boolean tls) {
        this.tls = tls;
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one seed node is needed");
        }
        this.seeds = List.copyOf(seeds);
        this.minIntervalNanos = minRefreshInterval.toNanos();
    }

    /** Wires the refresher to the loop and router that run its queries; called once at start-up. */
    public void attach(EventLoop controlLoop, NodeSender sender) {
        this.controlLoop = controlLoop;
        this.sender = sender;
    }

    public SlotMap slotMap() {
        return current.get();
    }

    /** Called with each new map, on the control loop (or the loop that saw a MOVED). */
    public void addListener(Consumer<SlotMap> listener) {
        listeners.add(listener);
    }

    /**
     * Completes with the first slot map that covers every slot, whether a refresh or a MOVED made it so;
     * never fails. Any thread; callers must not complete it.
     */
    public CompletableFuture<SlotMap> fullSlotMap() {
        return fullMap;
    }

    /** Why the last topology query failed; null when it succeeded. Any thread. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Number of completed topology queries, for metrics. */
    public long refreshCount() {
        return refreshes.get();
    }

    /** A MOVED reply says {@code node} owns {@code slot} now: patch that one slot at once. */
    public void applyMoved(int slot, ClusterNode node) {
        SlotMap before;
        SlotMap after;
        do {
            before = current.get();
            after = before.withOwner(slot, node);
        } while (before != after && !current.compareAndSet(before, after));
        if (before != after) {
            publish(after);
        }
        requestRefresh();
    }

    /** Asks for a refresh soon; cheap to call often, from any thread. */
    public void requestRefresh() {
        if (firstLoadRetryMillis > 0) {
            return; // the first-load retries are already asking, at their own pace
        }
        if (controlLoop != null && refreshRequested.compareAndSet(false, true)) {
            controlLoop.execute(this::startIfDue);
        }
    }

    /**
     * Loads the first map in the background: queries now, and after each failure again with a pause that
     * doubles from 100 ms to 5 s, until a map covering every slot is loaded (or, once the pause has reached
     * 5 s, any map with slots: some clusters run with slots uncovered). Returns at once.
     */
    public void retryUntilLoaded() {
        firstLoadRetryMillis = FIRST_LOAD.firstMillis();
        controlLoop.execute(this::attemptFirstLoad);
    }

    private void attemptFirstLoad() {
        refresh().whenComplete((map, error) -> {
            long pause = firstLoadRetryMillis;
            if (error == null && map.coversAllSlots()) {
                firstLoadRetryMillis = 0;
                log.info("slot map loaded: {} masters, all slots covered", map.masters().size());
                return;
            }
            if (error == null && pause >= FIRST_LOAD.maxMillis()) {
                // A cluster may run with uncovered slots for good; from here on the usual triggers refresh.
                firstLoadRetryMillis = 0;
                log.warn("slot map loaded with {} of {} slots covered; refreshing on demand from now on",
                        map.coveredSlots(), SlotMap.SLOT_COUNT);
                return;
            }
            // A cluster still forming answers with part of its slots: keep asking until they are all served.
            log.warn("{}; asking again in {} ms", error == null
                    ? "cluster covers " + map.coveredSlots() + " of " + SlotMap.SLOT_COUNT + " slots so far"
                    : "cluster not reachable yet (" + error.getMessage() + ")", pause);
            firstLoadRetryMillis = FIRST_LOAD.after(pause);
            controlLoop.schedule(this::attemptFirstLoad, pause, TimeUnit.MILLISECONDS);
        });
    }

    /** Refreshes now (after any running refresh) and completes with the resulting map. */
    public CompletableFuture<SlotMap> refresh() {
        CompletableFuture<SlotMap> done = new CompletableFuture<>();
        controlLoop.execute(() -> {
            waiters.add(done);
            refreshRequested.set(true);
            lastRefreshNanos = 0;
            startIfDue();
        });
        return done;
    }

    private void startIfDue() {
        if (inProgress || !refreshRequested.get()) {
            return;
        }
        long wait = lastRefreshNanos == 0 ? 0 : lastRefreshNanos + minIntervalNanos - System.nanoTime();
        if (wait > 0) {
            controlLoop.schedule(this::startIfDue, wait, TimeUnit.NANOSECONDS);
            return;
        }
        refreshRequested.set(false);
        inProgress = true;
        TopologyFetch.start(sender, () -> current.get().epoch() + 1, candidates(), tls, this::finish);
    }

    private List<ClusterNode> candidates() {
        Set<ClusterNode> nodes = new LinkedHashSet<>(current.get().masters());
        for (HostAndPort seed : seeds) {
            nodes.add(ClusterNode.of(seed));
        }
        return new ArrayList<>(nodes);
    }

    private void finish(SlotMap parsed, String failure) {
        inProgress = false;
        lastRefreshNanos = System.nanoTime();
        refreshes.incrementAndGet();
        lastFailure = failure;
        SlotMap result = current.get();
        if (parsed != null) {
            SlotMap before = current.get();
            if (!before.sameRouting(parsed)) {
                current.set(parsed);
                result = parsed;
                log.info("topology changed: {} masters, {} slots covered, epoch {}", parsed.masters().size(),
                        parsed.coveredSlots(), parsed.epoch());
                publish(parsed);
            } else if (!before.sameShards(parsed)) {
                // Replicas came or went: worth keeping, but routing is unchanged, so the epoch stays.
                result = parsed.withEpoch(before.epoch());
                current.compareAndSet(before, result);
                log.debug("replicas changed, routing did not: {}", result.shards());
            }
        } else if (firstLoadRetryMillis == 0) {
            log.warn("topology refresh failed: {}", failure); // during the first load, attemptFirstLoad logs
        }
        List<CompletableFuture<SlotMap>> done = new ArrayList<>(waiters);
        waiters.clear();
        for (CompletableFuture<SlotMap> waiter : done) {
            if (parsed != null) {
                waiter.complete(result);
            } else {
                waiter.completeExceptionally(new IllegalStateException(failure));
            }
        }
        if (refreshRequested.get()) {
            startIfDue();
        }
    }

    private void publish(SlotMap map) {
        if (map.coversAllSlots()) {
            fullMap.complete(map);
        }
        for (Consumer<SlotMap> listener : listeners) {
            listener.accept(map);
        }
    }
}
