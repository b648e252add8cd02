package io.rcproxy.bench;

/**
 * The outcome of one target running one operation for one measured window.
 *
 * @param pipeline   commands outstanding per worker
 * @param replies    successful replies inside the window
 * @param seconds    length of the window
 * @param errors     failed commands over the whole run (warm-up included), never dropped
 * @param firstError the first error's message, or null
 */
public record RunResult(String target, Operation operation, int pipeline, long replies, double seconds, long p50Micros,
                        long p99Micros, long p999Micros, long errors, String firstError) {

    public double opsPerSecond() {
        return seconds > 0 ? replies / seconds : 0;
    }
}
