package io.rcproxy.cluster.internal;

/**
 * The one exponential backoff rule of the client: the first pause is {@code firstMillis}, each next one
 * doubles, and none exceeds {@code maxMillis}. Immutable; callers keep their own attempt count or last
 * pause, so one policy serves any number of connections and commands, from any thread.
 *
 * <p>Used for a node connection's reconnects, for TRYAGAIN/CLUSTERDOWN retries, and for the first
 * slot-map load.
 */
public record Backoff(long firstMillis, long maxMillis) {

    /** Reconnecting a node connection: 50 ms up to 2 s. */
    public static final Backoff RECONNECT = new Backoff(50, 2_000);
    /** Retrying a command after TRYAGAIN or CLUSTERDOWN: 10 ms up to 200 ms. */
    public static final Backoff RETRY = new Backoff(10, 200);
    /** Asking the seeds for a first slot map: 100 ms up to 5 s. */
    public static final Backoff FIRST_LOAD = new Backoff(100, 5_000);

    public Backoff {
        if (firstMillis <= 0 || maxMillis < firstMillis) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max: " + firstMillis + ", " + maxMillis);
        }
    }

    /** The pause before attempt {@code attempt} (0 for the first retry). */
    public long delayMillis(int attempt) {
        // Capping the shift keeps it from overflowing; by then the result is maxMillis anyway.
        return Math.min(maxMillis, firstMillis << Math.min(Math.max(attempt, 0), 30));
    }

    /** The pause after one of {@code previousMillis}. */
    public long after(long previousMillis) {
        return Math.min(maxMillis, previousMillis * 2);
    }
}
