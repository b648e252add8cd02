package io.rcproxy.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One fixed-rate run of one target and operation (the latency-under-load mode): the schedule, the clock
 * it counts from, and what the {@link PacedWorker}s saw. A reply is measured from its command's intended
 * send time; only commands meant to be sent after the warm-up count, and none is meant after
 * warm-up + duration.
 *
 * <p>Threads: workers record from whichever thread completes a command (a {@link Recorder} takes
 * concurrent writers); the main thread waits in {@link #measure} and reads the totals after the workers
 * finished or the drain time ran out.
 */
final class PacedRun {

    private final RateSchedule schedule;
    private final long startNanos;
    private final long warmupNanos;
    private final long endNanos;
    private final Recorder latencies = new Recorder(WorkerStats.MAX_LATENCY_MICROS, 3);
    /** How late each command left its worker: the generator's own share of the latency. */
    private final Recorder lateness = new Recorder(WorkerStats.MAX_LATENCY_MICROS, 3);
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final CountDownLatch finished;

    /** The clock starts {@code lead} from now, so every worker is connected and scheduled before it. */
    PacedRun(RateSchedule schedule, Duration lead, Duration warmup, Duration duration) {
        this.schedule = schedule;
        this.startNanos = System.nanoTime() + lead.toNanos();
        this.warmupNanos = warmup.toNanos();
        this.endNanos = warmupNanos + duration.toNanos();
        this.finished = new CountDownLatch(schedule.workers());
    }

    RateSchedule schedule() {
        return schedule;
    }

    int workerCount() {
        return schedule.workers();
    }

    long startNanos() {
        return startNanos;
    }

    /** Offset from the start after which no command is meant to be sent. */
    long endOffsetNanos() {
        return endNanos;
    }

    /** A command meant for {@code intendedNanos} got its right reply at {@code nowNanos}. */
    void replied(long intendedNanos, long nowNanos) {
        recordAfterWarmup(latencies, intendedNanos, nowNanos, 1);
    }

    /** A command meant for {@code intendedNanos} left its worker at {@code nowNanos}. */
    void sent(long intendedNanos, long nowNanos) {
        recordAfterWarmup(lateness, intendedNanos, nowNanos, 0);
    }

    /** Records {@code nowNanos - intendedNanos} in microseconds, within [floor, max], for commands past the warm-up. */
    private void recordAfterWarmup(Recorder into, long intendedNanos, long nowNanos, long floorMicros) {
        if (intendedNanos - startNanos >= warmupNanos) {
            long micros = Math.max(floorMicros, (nowNanos - intendedNanos) / 1000);
            into.recordValue(Math.min(micros, WorkerStats.MAX_LATENCY_MICROS));
        }
    }

    void error(String message) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, message);
    }

    /** Commands that were due but never left because the worker already had its cap outstanding. */
    void unsent(long count) {
        unsent.addAndGet(count);
    }

    void workerFinished() {
        finished.countDown();
    }

    /** Waits out the run (and up to {@code drain} for the last replies) and summarises it. */
    RateResult measure(String target, Operation operation, Duration drain) throws InterruptedException {
        long untilEnd = startNanos + endNanos - System.nanoTime();
        if (untilEnd > 0) {
            TimeUnit.NANOSECONDS.sleep(untilEnd);
        }
        boolean drained = finished.await(drain.toMillis(), TimeUnit.MILLISECONDS);
        Histogram h = latencies.getIntervalHistogram();
        Histogram late = lateness.getIntervalHistogram();
        long errorCount = errors.get();
        String first = firstError.get();
        if (unsent.get() > 0) {
            errorCount += unsent.get();
            if (first == null) {
                first = unsent.get() + " due commands never sent: the target fell too far behind the rate";
            }
        }
        if (!drained) {
            errorCount += finished.getCount();
            if (first == null) {
                first = finished.getCount() + " worker(s) still waiting for replies " + drain.toMillis()
                        + " ms after the end";
            }
        }
        double seconds = (endNanos - warmupNanos) / 1e9;
        return new RateResult(target, operation, schedule.rate(), h.getTotalCount() / seconds,
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                h.getMaxValue(), late.getValueAtPercentile(50), late.getValueAtPercentile(99), errorCount, first);
    }
}
