package io.rcproxy.bench;

/**
 * The outcome of one fixed-rate run: the rate asked for, the rate of right replies measured, and the
 * latency percentiles in microseconds from each command's intended send time.
 *
 * @param lateP50Micros how late the load generator itself sent its commands (actual send time minus the
 *                      intended one), median: the part of the latency that is the generator's own
 * @param lateP99Micros the same lateness at the 99th percentile
 * @param errors     failed commands, commands never sent because the target fell behind, and workers
 *                   still waiting at the end
 */
public record RateResult(String target, Operation operation, long rate, double achievedOpsPerSecond,
                         long p50Micros, long p99Micros, long p999Micros, long maxMicros,
                         long lateP50Micros, long lateP99Micros, long errors,
                         String firstError) {
}
