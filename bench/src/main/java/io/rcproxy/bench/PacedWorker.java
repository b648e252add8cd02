package io.rcproxy.bench;

import io.netty.util.concurrent.EventExecutor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker of a fixed-rate run: on its executor it wakes at the intended time of its next command,
 * sends every command due by now (more than one when it woke late), and schedules itself for the next.
 * It does not wait for replies (an open loop), but keeps at most {@value #MAX_OUTSTANDING} commands
 * outstanding so a target that stops answering cannot make it hold unbounded memory; commands held back
 * by that cap are still measured from their intended time once sent, and those never sent by the end are
 * counted.
 *
 * <p>Thread: {@link #run} runs on the executor; {@link #done} may be called from any thread.
 */
abstract class PacedWorker implements Runnable {

    static final int MAX_OUTSTANDING = 1024;
    /** How soon a worker held back by the cap looks again. */
    private static final long CAPPED_RETRY_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    protected final PacedRun run;
    protected final int index;
    protected final Operation operation;
    protected final KeySpace keys;
    private final EventExecutor executor;
    private final SplittableRandom random;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean sendingDone;
    private long issued;

    PacedWorker(PacedRun run, int index, Operation operation, KeySpace keys, EventExecutor executor) {
        this.run = run;
        this.index = index;
        this.operation = operation;
        this.keys = keys;
        this.executor = executor;
        this.random = new SplittableRandom(3000L + index);
    }

    /** Each sends one command meant for {@code intendedNanos}; its end must come back through {@link #done}. */
    protected abstract void sendGet(int key, long intendedNanos);

    protected abstract void sendSet(int key, long intendedNanos);

    /** {@code keyIndexes} is this command's own array (several MGETs are outstanding at once). */
    protected abstract void sendMget(int[] keyIndexes, long intendedNanos);

    /** Called once the batch of commands sent by one wake-up is written; e.g. a flush. */
    protected void batchSent() {
    }

    final void start() {
        executor.schedule(this, Math.max(0, run.startNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public final void run() {
        long now = System.nanoTime();
        long elapsed = now - run.startNanos();
        long end = run.endOffsetNanos();
        long due = run.schedule().dueBy(index, Math.min(elapsed, end - 1));
        RateSchedule schedule = run.schedule();
        boolean sentAny = false;
        while (issued < due && outstanding.get() < MAX_OUTSTANDING) {
            long intended = run.startNanos() + schedule.intendedOffsetNanos(index, issued++);
            outstanding.incrementAndGet();
            sentAny = true;
            sendOne(intended);
            run.sent(intended, System.nanoTime());
        }
        if (sentAny) {
            batchSent();
        }
        if (elapsed >= end) {
            run.unsent(due - issued);
            sendingDone = true;
            finishIfIdle();
            return;
        }
        long delay = issued < due ? CAPPED_RETRY_NANOS
                : run.startNanos() + schedule.intendedOffsetNanos(index, issued) - System.nanoTime();
        // Wake for the run's end too, so a worker whose next command falls after it still finishes.
        delay = Math.min(delay, run.startNanos() + end - System.nanoTime());
        executor.schedule(this, Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    private void sendOne(long intended) {
        try {
            switch (operation.next(random)) {
                case GET -> sendGet(keys.randomIndex(random), intended);
                case SET -> sendSet(keys.randomIndex(random), intended);
                case MGET -> {
                    int[] picked = new int[KeySpace.MGET_KEYS];
                    keys.pickAcrossSlots(random, picked);
                    sendMget(picked, intended);
                }
            }
        } catch (RuntimeException e) {
            done(intended, String.valueOf(e));
        }
    }

    /** The command meant for {@code intendedNanos} ended: right when {@code error} is null. */
    protected final void done(long intendedNanos, String error) {
        if (error == null) {
            run.replied(intendedNanos, System.nanoTime());
        } else {
            run.error(error);
        }
        outstanding.decrementAndGet();
        if (sendingDone) {
            finishIfIdle();
        }
    }

    private void finishIfIdle() {
        if (outstanding.get() == 0 && finished.compareAndSet(false, true)) {
            run.workerFinished();
        }
    }

    /** Stops the worker whose connection is gone: nothing it still waits for will come. */
    protected final void abandon(String why) {
        if (finished.compareAndSet(false, true)) {
            run.error(why);
            run.workerFinished();
        }
    }
}
