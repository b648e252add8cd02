package io.rcproxy.proxy.tracking;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.proxy.config.TrackingConfig;
import io.rcproxy.proxy.reply.ClientPort;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * Client-side caching for the whole proxy: each event loop's {@link LoopTracking} (made when its first
 * client turns tracking on), the directory that finds a REDIRECT target by client id, and the numbers the
 * metrics show. See docs/tracking.md for the design.
 *
 * <p>Thread-safe: loops are created once each through a concurrent map; the counters are striped adders,
 * the tracked keys each loop's published size; the directory is the frontend's concurrent session registry.
 */
public final class Tracking {

    private final TrackingConfig config;
    private final LongFunction<ClientTracking> directory;
    private final ConcurrentHashMap<EventLoop, LoopTracking> loops = new ConcurrentHashMap<>();
    private final LongAdder invalidationsSent = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /** @param directory the tracking state of the connected client with an id, or null */
    public Tracking(TrackingConfig config, LongFunction<ClientTracking> directory) {
        this.config = config;
        this.directory = directory;
    }

    /** The tracking state of a new client; {@code subscribed} tells whether it is in subscriber mode now. */
    public ClientTracking newClient(ClientPort port, BooleanSupplier subscribed) {
        return new ClientTracking(port, this, subscribed);
    }

    TrackingConfig config() {
        return config;
    }

    LoopTracking loop(LoopRouter router) {
        return loops.computeIfAbsent(router.loop(), l -> new LoopTracking(router, this, ByteBufAllocator.DEFAULT));
    }

    boolean exists(long id) {
        return directory.apply(id) != null;
    }

    ClientTracking find(long id) {
        return directory.apply(id);
    }

    /** Keys remembered for tracking clients, every loop together (a gauge). */
    public long trackedKeys() {
        long sum = 0;
        for (LoopTracking loop : loops.values()) {
            sum += loop.trackedKeys();
        }
        return sum;
    }

    /** Invalidation frames (keys or flushes) handed to clients so far. */
    public long invalidationsSent() {
        return invalidationsSent.sum();
    }

    /** Keys evicted from a full table so far. */
    public long evictions() {
        return evictions.sum();
    }

    void invalidationSent() {
        invalidationsSent.increment();
    }

    void evicted() {
        evictions.increment();
    }
}
