package io.rcproxy.cluster.internal.connection;

import io.rcproxy.cluster.spi.ClusterCommand;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when a connection's commands are stuck: the oldest has waited longer than the command timeout.
 * Redis answers in order, so once the oldest is stuck everything behind it on that connection is too.
 *
 * <p>Only time the loop was free to read counts. When a check comes much later than {@link #intervalMillis}
 * after the previous one, the loop itself was stalled (a long request, a GC pause, CPU starvation) and the
 * replies may be sitting unread in the socket: the stall is credited to the commands in flight, and the
 * loop gets to read before the next check decides. Checks must come with a fixed delay between them, so a
 * late check is followed by a read, not by a burst of catch-up checks.
 *
 * <p>Thread: the connection's event loop; one instance per connection (it remembers its last check).
 */
final class TimeoutCheck {

    private static final Logger log = LoggerFactory.getLogger(TimeoutCheck.class);

    /** A check this much later than planned means the loop, not the node, was stalled. */
    private static final long STALL_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final long timeoutNanos;
    private final long intervalNanos;
    /** When {@link #isStuck} last ran; 0 before its first run. */
    private long lastCheckNanos;

    TimeoutCheck(Duration commandTimeout) {
        this.timeoutNanos = commandTimeout.toNanos();
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis(commandTimeout));
    }

    /** How often a loop checks: a tenth of the timeout, within 10-100 ms. */
    static long intervalMillis(Duration commandTimeout) {
        return Math.max(10, Math.min(100, commandTimeout.toMillis() / 10));
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    long timeoutMillis() {
        return TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
    }

    /** Whether the oldest of {@code inFlight} has waited too long; after a stall, credits it instead. */
    boolean isStuck(ArrayDeque<ClusterCommand> inFlight, long nowNanos) {
        long lastCheck = lastCheckNanos;
        lastCheckNanos = nowNanos;
        long stall = nowNanos - lastCheck - intervalNanos;
        if (lastCheck != 0 && stall > STALL_SLACK_NANOS) {
            credit(inFlight, nowNanos, stall);
            return false;
        }
        ClusterCommand oldest = inFlight.peek();
        return oldest != null && nowNanos - oldest.sentAtNanos() >= timeoutNanos;
    }

    private static void credit(ArrayDeque<ClusterCommand> inFlight, long nowNanos, long stallNanos) {
        if (inFlight.isEmpty()) {
            return;
        }
        log.debug("event loop stalled for {} ms; not counted against {} commands in flight",
                TimeUnit.NANOSECONDS.toMillis(stallNanos), inFlight.size());
        for (ClusterCommand command : inFlight) {
            command.markSent(Math.min(nowNanos, command.sentAtNanos() + stallNanos));
        }
    }
}
