package io.rcproxy.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void reconnectDoublesFrom50MillisUpTo2Seconds() {
        long[] expected = {50, 100, 200, 400, 800, 1600, 2000, 2000};
        for (int attempt = 0; attempt < expected.length; attempt++) {
            assertEquals(expected[attempt], Backoff.RECONNECT.delayMillis(attempt));
        }
    }

    @Test
    void retryDoublesFrom10MillisUpTo200() {
        assertEquals(10, Backoff.RETRY.delayMillis(0));
        assertEquals(160, Backoff.RETRY.delayMillis(4));
        assertEquals(200, Backoff.RETRY.delayMillis(5));
    }

    @Test
    void firstLoadStepsFrom100MillisUpTo5Seconds() {
        long pause = Backoff.FIRST_LOAD.firstMillis();
        assertEquals(100, pause);
        for (int i = 0; i < 5; i++) {
            pause = Backoff.FIRST_LOAD.after(pause);
        }
        assertEquals(3200, pause);
        assertEquals(5000, Backoff.FIRST_LOAD.after(pause));
        assertEquals(5000, Backoff.FIRST_LOAD.after(5000));
    }

    @Test
    void hugeAttemptCountsStayAtTheCapWithoutOverflow() {
        assertEquals(2000, Backoff.RECONNECT.delayMillis(Integer.MAX_VALUE));
        assertEquals(50, Backoff.RECONNECT.delayMillis(-1));
    }

    @Test
    void rejectsAPolicyWhoseCapIsBelowItsStart() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 50));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 50));
    }
}
