package io.rcproxy.cluster.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.spi.ClusterCommand;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimeoutCheckTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private final TimeoutCheck check = new TimeoutCheck(Duration.ofMillis(500)); // checks every 50 ms
    private final ArrayDeque<ClusterCommand> inFlight = new ArrayDeque<>();

    @AfterEach
    void release() {
        inFlight.forEach(command -> command.fail("test over"));
    }

    private ClusterCommand sentAt(long nanos) {
        TextCommand command = new TextCommand("GET", "k");
        command.markSent(nanos);
        inFlight.add(command);
        return command;
    }

    @Test
    void checksComeATenthOfTheTimeoutApartWithinBounds() {
        assertEquals(50, TimeoutCheck.intervalMillis(Duration.ofMillis(500)));
        assertEquals(10, TimeoutCheck.intervalMillis(Duration.ofMillis(20)));
        assertEquals(100, TimeoutCheck.intervalMillis(Duration.ofSeconds(30)));
    }

    @Test
    void theOldestCommandDecides() {
        long start = 1_000 * MS;
        sentAt(start);
        sentAt(start + 400 * MS);
        assertFalse(check.isStuck(inFlight, start + 499 * MS));
        assertTrue(check.isStuck(inFlight, start + 500 * MS + 40 * MS));
    }

    @Test
    void nothingInFlightIsNeverStuck() {
        assertFalse(check.isStuck(inFlight, 10_000 * MS));
    }

    @Test
    void aStalledLoopIsNotCountedAgainstTheCommands() {
        long start = 1_000 * MS;
        ClusterCommand command = sentAt(start);
        assertFalse(check.isStuck(inFlight, start + 50 * MS));
        // The next check comes 2 s late: the loop, not the node, was stuck; the stall is credited.
        assertFalse(check.isStuck(inFlight, start + 2_100 * MS));
        assertEquals(start + 2_000 * MS, command.sentAtNanos());
        assertFalse(check.isStuck(inFlight, start + 2_150 * MS), "on time again, and within the timeout");
        for (long t = 2_200; t < 2_500; t += 50) {
            assertFalse(check.isStuck(inFlight, start + t * MS), "at " + t);
        }
        assertTrue(check.isStuck(inFlight, start + 2_500 * MS), "the timeout, counted from the credited send");
    }
}
