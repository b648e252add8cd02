package io.rcproxy.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What one worker (one chain of send-then-wait) saw: a latency histogram in microseconds, the replies
 * counted inside the measured window, and every error, warm-up included, with the first message kept.
 *
 * <p>Single writer: a worker has at most one command outstanding, and each record happens after the
 * reply that ends it, so the writes form one ordered sequence even when replies arrive on different
 * threads. The run reads it only after the worker has finished.
 */
final class WorkerStats {

    static final long MAX_LATENCY_MICROS = TimeUnit.SECONDS.toMicros(60);

    private final Histogram histogram = new Histogram(MAX_LATENCY_MICROS, 3);
    private long errors;
    private String firstError;

    /** Records one reply that took from {@code startNanos} to {@code endNanos}. */
    void record(long startNanos, long endNanos) {
        long micros = Math.max(1, (endNanos - startNanos) / 1000);
        histogram.recordValue(Math.min(micros, MAX_LATENCY_MICROS));
    }

    void error(String message) {
        errors++;
        if (firstError == null) {
            firstError = message;
        }
    }

    Histogram histogram() {
        return histogram;
    }

    long errors() {
        return errors;
    }

    String firstError() {
        return firstError;
    }
}
