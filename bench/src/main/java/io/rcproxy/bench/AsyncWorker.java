package io.rcproxy.bench;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker as a state machine: send one command; when its reply arrives, record it and send the next.
 * No thread waits. A reply that arrives while the previous send is still on the stack (a command that
 * fails at once, or a very fast reply on another thread) is queued as a count instead of recursing, so
 * the stack stays flat whatever happens.
 *
 * <p>At most one command is outstanding, so {@link #stats} has one writer at a time.
 */
abstract class AsyncWorker {

    private final AtomicInteger turns = new AtomicInteger();
    private final LoadWindow window;
    private final WorkerStats stats;
    protected final Operation operation;
    protected final KeySpace keys;
    protected final SplittableRandom random;
    private long sentAtNanos;
    private long sent;
    private final int[] mgetKeys = new int[KeySpace.MGET_KEYS];

    AsyncWorker(LoadWindow window, int index, Operation operation, KeySpace keys) {
        this.window = window;
        this.stats = window.stats(index);
        this.operation = operation;
        this.keys = keys;
        this.random = new SplittableRandom(1000L + index);
    }

    /**
     * Each sends one command and arranges for {@link #replied()} or {@link #failed(String)} to be called
     * once its reply (or failure) is in. {@code key} is an index into {@link #keys}.
     */
    protected abstract void sendGet(int key);

    protected abstract void sendSet(int key);

    /**
     * One MGET of the {@link KeySpace#MGET_KEYS} keys in {@code keyIndexes} (all in different slots); the
     * array is reused for the next MGET once {@link #replied()} or {@link #failed} has been called.
     */
    protected abstract void sendMget(int[] keyIndexes);

    final void start() {
        turn();
    }

    /** The reply to the outstanding command arrived. */
    protected final void replied() {
        long now = System.nanoTime();
        if (window.measuring()) {
            stats.record(sentAtNanos, now);
        }
        turn();
    }

    protected final void failed(String message) {
        stats.error(message);
        turn();
    }

    private void turn() {
        if (turns.getAndIncrement() != 0) {
            return;
        }
        do {
            if (window.stopping() || sent >= window.maxOpsPerWorker()) {
                window.workerFinished();
                return;
            }
            sent++;
            Operation.Command command = operation.next(random);
            if (command == Operation.Command.MGET) {
                keys.pickAcrossSlots(random, mgetKeys);
            }
            int key = keys.randomIndex(random);
            sentAtNanos = System.nanoTime();
            try {
                switch (command) {
                    case GET -> sendGet(key);
                    case SET -> sendSet(key);
                    case MGET -> sendMget(mgetKeys);
                }
            } catch (RuntimeException e) {
                // No callback will come for this one; take the next turn ourselves.
                stats.error(String.valueOf(e));
                turns.incrementAndGet();
            }
        } while (turns.decrementAndGet() != 0);
    }
}
