package io.rcproxy.proxy.config;

import java.time.Duration;

/**
 * {@code proxy.tracking}: client-side caching (CLIENT TRACKING) through the proxy.
 *
 * @param maxKeys     keys each event loop remembers for its tracking clients; one more evicts the oldest,
 *                    whose readers get its invalidation (Redis's {@code tracking-table-max-keys})
 * @param linkTimeout how long the first CLIENT TRACKING ON of an event loop waits for its invalidation
 *                    links to every master before answering anyway (its reads are then flushed once they
 *                    are up)
 */
public record TrackingConfig(int maxKeys, Duration linkTimeout) {

    public static final TrackingConfig DEFAULTS = new TrackingConfig(100_000, Duration.ofSeconds(2));
}
