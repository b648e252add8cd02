package io.rcproxy.proxy.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Client-side caching (CLIENT TRACKING) metrics, read at each scrape from the tracking code's atomic
 * counters: keys remembered, invalidations sent, keys evicted from a full table.
 *
 * <p>Thread: the scraping thread; the suppliers read atomics.
 */
final class TrackingCollector extends Collector {

    private final LongSupplier trackedKeys;
    private final LongSupplier invalidationsSent;
    private final LongSupplier evictions;

    TrackingCollector(LongSupplier trackedKeys, LongSupplier invalidationsSent, LongSupplier evictions) {
        this.trackedKeys = trackedKeys;
        this.invalidationsSent = invalidationsSent;
        this.evictions = evictions;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        return List.of(
                new GaugeMetricFamily("redis_proxy_tracking_keys",
                        "Keys remembered for clients with CLIENT TRACKING on, over all event loops",
                        trackedKeys.getAsLong()),
                new CounterMetricFamily("redis_proxy_tracking_invalidations_sent",
                        "Invalidation messages (keys or a flush) sent to tracking clients",
                        invalidationsSent.getAsLong()),
                new CounterMetricFamily("redis_proxy_tracking_evictions",
                        "Tracked keys evicted because an event loop's table reached proxy.tracking.max-keys",
                        evictions.getAsLong()));
    }
}
