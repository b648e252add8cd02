package io.rcproxy.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The clock of one run: warm-up, then the measured window, then stop. Workers ask {@link #measuring()}
 * when a reply arrives and {@link #stopping()} before they send; each worker counts down
 * {@link #finished()} once it has stopped sending and its last reply is in.
 *
 * <p>The main thread drives the phases; workers only read them (one volatile read per command).
 */
final class LoadWindow {

    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    private final WorkerStats[] workers;
    private final CountDownLatch finished;
    private final long maxOpsPerWorker;
    private volatile int phase = WARMUP;

    LoadWindow(int workers, long maxOpsPerWorker) {
        this.workers = new WorkerStats[workers];
        for (int i = 0; i < workers; i++) {
            this.workers[i] = new WorkerStats();
        }
        this.finished = new CountDownLatch(workers);
        this.maxOpsPerWorker = maxOpsPerWorker;
    }

    int workerCount() {
        return workers.length;
    }

    WorkerStats stats(int worker) {
        return workers[worker];
    }

    boolean measuring() {
        return phase == MEASURE;
    }

    boolean stopping() {
        return phase == STOP;
    }

    /** A hard cap per worker, so a loop ends by count even if the clock were never to stop it. */
    long maxOpsPerWorker() {
        return maxOpsPerWorker;
    }

    /** Called once by each worker when it has stopped. */
    void workerFinished() {
        finished.countDown();
    }

    /**
     * Runs the phases on the calling thread (the workers must already be started), waits up to
     * {@code drain} for the workers to finish, and summarises what they recorded.
     */
    RunResult measure(String target, Operation operation, int pipeline, Duration warmup, Duration duration, Duration drain)
            throws InterruptedException {
        Thread.sleep(warmup.toMillis());
        long start = System.nanoTime();
        phase = MEASURE;
        Thread.sleep(duration.toMillis());
        phase = STOP;
        long end = System.nanoTime();
        boolean drained = finished.await(drain.toMillis(), TimeUnit.MILLISECONDS);
        Histogram all = new Histogram(WorkerStats.MAX_LATENCY_MICROS, 3);
        long errors = 0;
        String firstError = null;
        for (WorkerStats stats : workers) {
            all.add(stats.histogram());
            errors += stats.errors();
            if (firstError == null) {
                firstError = stats.firstError();
            }
        }
        if (!drained) {
            long stuck = finished.getCount();
            errors += stuck;
            if (firstError == null) {
                firstError = stuck + " worker(s) still waiting for a reply " + drain.toMillis() + " ms after the end";
            }
        }
        return new RunResult(target, operation, pipeline, all.getTotalCount(), (end - start) / 1e9,
                all.getValueAtPercentile(50), all.getValueAtPercentile(99), all.getValueAtPercentile(99.9),
                errors, firstError);
    }
}
