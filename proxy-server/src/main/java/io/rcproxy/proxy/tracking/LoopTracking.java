package io.rcproxy.proxy.tracking;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.ScheduledFuture;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client-side caching for the clients of one event loop: the {@link TrackingTable} of keys they read, one
 * {@link InvalidationLink} per master feeding it, and the tracking clients it serves. Links exist only
 * while the loop has a tracking client; they follow the slot map's masters (checked every
 * {@link #TOPOLOGY_CHECK_MILLIS}), and a link lost or dropped with its master flushes every client's
 * cache with a null invalidation: what was modified while it was down is unknown. A client that read
 * while some link was not ready is flushed again once every link is ready.
 *
 * <p>Thread: confined to the loop of its {@link LoopRouter}. Holds no buffers (frames are built and
 * handed on by {@link ClientTracking}).
 */
final class LoopTracking implements InvalidationLink.Events {

    private static final Logger log = LoggerFactory.getLogger(LoopTracking.class);

    static final long TOPOLOGY_CHECK_MILLIS = 250;
    /** A link that failed to come up is not tried again for this long (a dead master stays in the map a while). */
    static final long RETRY_MILLIS = 1000;

    private final LoopRouter router;
    private final Tracking shared;
    private final ByteBufAllocator alloc;
    private final TrackingTable<ClientTracking> table;
    /** Tracking clients on this loop, in the order they turned tracking on. */
    private final Set<ClientTracking> clients = new LinkedHashSet<>();
    private final Set<ClientTracking> broadcasters = new LinkedHashSet<>();
    private final Map<ClusterNode, InvalidationLink> links = new HashMap<>();
    /** When a master whose link failed may be tried again ({@link System#nanoTime}). */
    private final Map<ClusterNode, Long> retryAt = new HashMap<>();
    /** Waiting for every link to be ready (CLIENT TRACKING ON replies). */
    private final ArrayDeque<Runnable> whenReady = new ArrayDeque<>();
    private ScheduledFuture<?> topologyCheck;
    private boolean ready;
    private volatile int publishedSize;

    LoopTracking(LoopRouter router, Tracking shared, ByteBufAllocator alloc) {
        this.router = router;
        this.shared = shared;
        this.alloc = alloc;
        this.table = new TrackingTable<>(shared.config().maxKeys(), this::evicted);
    }

    /** Whether every master of the slot map has a ready link: nothing modified now can go unreported. */
    boolean ready() {
        return ready;
    }

    /** A client turned tracking on (again): start the links if it is the first. */
    void join(ClientTracking client) {
        if (clients.add(client) && clients.size() == 1) {
            checkTopology();
            topologyCheck = router.loop().scheduleWithFixedDelay(this::checkTopology, TOPOLOGY_CHECK_MILLIS,
                    TOPOLOGY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
        if (client.isBroadcast()) {
            broadcasters.add(client);
        } else {
            broadcasters.remove(client);
        }
    }

    /** A client turned tracking off or left: the last one closes the links and empties the table. */
    void leave(ClientTracking client) {
        broadcasters.remove(client);
        if (clients.remove(client) && clients.isEmpty()) {
            if (topologyCheck != null) {
                topologyCheck.cancel(false);
                topologyCheck = null;
            }
            links.values().forEach(InvalidationLink::close);
            links.clear();
            table.clear();
            publishSize();
            ready = false;
            runWhenReady();
        }
    }

    /** Runs {@code action} once every link is ready, or after {@code timeoutMillis} whatever happens. */
    void whenReady(Runnable action, long timeoutMillis) {
        if (ready) {
            action.run();
            return;
        }
        Runnable once = new Runnable() {
            private boolean done;

            @Override
            public void run() {
                if (!done) {
                    done = true;
                    action.run();
                }
            }
        };
        whenReady.add(once);
        router.loop().schedule(once, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Remembers that {@code client} read {@code key}. */
    void remember(TrackedKey key, ClientTracking client) {
        table.remember(key, client);
        publishSize();
    }

    @Override
    public void onKeys(InvalidationLink link, List<TrackedKey> keys) {
        for (TrackedKey key : keys) {
            List<ClientTracking> readers = table.take(key);
            for (int i = 0; i < readers.size(); i++) {
                ClientTracking reader = readers.get(i);
                if (reader.invalidated(key)) {
                    table.remember(key, reader); // NOLOOP: it read the key again after its own write
                }
            }
        }
        publishSize();
        if (!broadcasters.isEmpty()) {
            for (ClientTracking broadcaster : List.copyOf(broadcasters)) {
                broadcaster.broadcast(keys);
            }
        }
    }

    @Override
    public void onFlush(InvalidationLink link) {
        flushAll();
    }

    @Override
    public void onReady(InvalidationLink link) {
        updateReadiness();
    }

    @Override
    public void onLost(InvalidationLink link, String why) {
        if (links.get(link.node()) == link) {
            links.remove(link.node());
            retryAt.put(link.node(), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS));
            if (link.wasReady()) {
                log.info("invalidation link to {} lost ({}): flushing {} tracking clients", link.node(), why,
                        clients.size());
            } else {
                log.debug("invalidation link to {} did not come up: {}", link.node(), why);
            }
            lostFeed();
        }
    }

    /** Something may have been modified unseen: every client drops everything; readiness is re-earned. */
    private void lostFeed() {
        ready = false;
        flushAll();
    }

    private void flushAll() {
        table.clear();
        publishSize();
        for (ClientTracking client : List.copyOf(clients)) { // a copy: sending may end a client
            client.flush();
        }
    }

    /** Opens links to new masters and drops those to nodes that are no longer masters. */
    private void checkTopology() {
        if (clients.isEmpty()) {
            return;
        }
        SlotMap map = router.topology().slotMap();
        if (!map.isLoaded()) {
            return;
        }
        Set<ClusterNode> masters = new HashSet<>(map.owningNodes());
        boolean dropped = false;
        for (var it = links.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!masters.contains(entry.getKey())) {
                it.remove();
                entry.getValue().close();
                dropped = true;
            }
        }
        long now = System.nanoTime();
        retryAt.keySet().retainAll(masters);
        for (ClusterNode master : masters) {
            Long notBefore = retryAt.get(master);
            if (!links.containsKey(master) && (notBefore == null || now - notBefore >= 0)) {
                retryAt.remove(master);
                links.put(master, new InvalidationLink(router, master, alloc, this));
            }
        }
        if (dropped) {
            log.info("a master left the slot map: flushing {} tracking clients", clients.size());
            lostFeed();
        }
        updateReadiness();
    }

    private void updateReadiness() {
        SlotMap map = router.topology().slotMap();
        boolean all = map.isLoaded() && !links.isEmpty();
        for (ClusterNode master : map.owningNodes()) {
            InvalidationLink link = links.get(master);
            all &= link != null && link.isReady();
        }
        if (all && !ready) {
            ready = true;
            for (ClientTracking client : List.copyOf(clients)) {
                client.readyAgain();
            }
            runWhenReady();
        } else if (!all) {
            ready = false;
        }
    }

    private void runWhenReady() {
        Runnable waiting;
        while ((waiting = whenReady.poll()) != null) {
            waiting.run();
        }
    }

    /** An evicted key: its readers are told, as Redis tells them past tracking-table-max-keys. */
    private void evicted(TrackedKey key, List<ClientTracking> readers) {
        shared.evicted();
        for (int i = 0; i < readers.size(); i++) {
            readers.get(i).invalidated(key);
        }
    }

    /** Publishes the table's size for the metrics (a plain volatile store: no counter shared by loops). */
    private void publishSize() {
        if (publishedSize != table.size()) {
            publishedSize = table.size();
        }
    }

    /** Keys in this loop's table, as last published; read by the metrics from any thread. */
    int trackedKeys() {
        return publishedSize;
    }
}
