package io.rcproxy.proxy.frontend;

import io.netty.channel.EventLoop;
import io.rcproxy.proxy.reply.PendingReply;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * One loop's scripts in flight, for {@link BusyScripts}. A check runs when the oldest could pass the
 * threshold; a script still unanswered then turns busy and is counted until its reply comes in (the reply
 * entry tells its {@link Run}). No check is scheduled while nothing is in flight.
 *
 * <p>Memory: answered scripts at the head are dropped as new ones come and at each check, so the queue
 * holds what was sent since the oldest unanswered one that is not yet busy. Thread: the loop.
 */
final class RunningScripts {

    /** One script in flight; run (on the loop) when its reply is in. */
    private final class Run implements Runnable {
        private final boolean function;
        private final long startNanos;
        private boolean answered;
        private boolean busy;

        Run(boolean function, long startNanos) {
            this.function = function;
            this.startNanos = startNanos;
        }

        @Override
        public void run() {
            answered = true;
            if (busy) {
                busy = false;
                scripts.ended(function);
            }
        }
    }

    private final EventLoop loop;
    private final BusyScripts scripts;
    private final ArrayDeque<Run> waiting = new ArrayDeque<>();
    private boolean checkScheduled;
    /** When the scheduled check runs (System.nanoTime()), if {@link #checkScheduled}. */
    private long nextCheckNanos;

    RunningScripts(EventLoop loop, BusyScripts scripts) {
        this.loop = loop;
        this.scripts = scripts;
    }

    void add(PendingReply reply, boolean function, long nowNanos) {
        while (!waiting.isEmpty() && waiting.peekFirst().answered) {
            waiting.pollFirst();
        }
        if (reply.finished()) {
            return; // refused or answered at once
        }
        Run run = new Run(function, nowNanos);
        reply.whenAnswered(run);
        waiting.addLast(run);
        scheduleBy(nowNanos, scripts.thresholdNanos());
    }

    /**
     * Makes sure a check runs within {@code delayNanos}: a lowered threshold (CONFIG SET) brings it forward,
     * and a check due later then finds nothing new, harmlessly.
     */
    private void scheduleBy(long nowNanos, long delayNanos) {
        long delay = Math.max(delayNanos, TimeUnit.MILLISECONDS.toNanos(1));
        if (!checkScheduled || nowNanos + delay - nextCheckNanos < 0) {
            checkScheduled = true;
            nextCheckNanos = nowNanos + delay;
            loop.schedule(this::check, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        long now = System.nanoTime();
        if (now - nextCheckNanos >= 0) {
            checkScheduled = false; // this is the check last scheduled (or one due as late)
        }
        long threshold = scripts.thresholdNanos();
        long nextDue = Long.MAX_VALUE;
        for (Iterator<Run> it = waiting.iterator(); it.hasNext(); ) {
            Run run = it.next();
            if (run.answered) {
                it.remove();
            } else if (now - run.startNanos >= threshold) {
                it.remove(); // from now on its reply alone ends it
                run.busy = true;
                scripts.turnedBusy(run.function);
            } else {
                nextDue = Math.min(nextDue, run.startNanos + threshold - now);
            }
        }
        if (nextDue != Long.MAX_VALUE) {
            scheduleBy(now, nextDue);
        }
    }
}
