package io.rcproxy.cluster.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rcproxy.cluster.internal.Backoff;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

    @Test
    void pausesDoubleFromTheFirstUpToTheCap() {
        ReconnectPolicy policy = ReconnectPolicy.after(Backoff.RECONNECT);
        long[] expected = {50, 100, 200, 400, 800, 1600, 2000, 2000};
        for (long pause : expected) {
            assertEquals(pause, policy.nextDelayMillis());
        }
    }

    @Test
    void aSuccessStartsThePausesAgain() {
        ReconnectPolicy policy = ReconnectPolicy.after(Backoff.RECONNECT);
        policy.nextDelayMillis();
        policy.nextDelayMillis();
        policy.succeeded();
        assertEquals(50, policy.nextDelayMillis());
    }

    @Test
    void eachConnectionCountsItsOwnFailures() {
        ReconnectPolicy one = ReconnectPolicy.after(Backoff.RECONNECT);
        ReconnectPolicy other = ReconnectPolicy.after(Backoff.RECONNECT);
        one.nextDelayMillis();
        one.nextDelayMillis();
        assertEquals(50, other.nextDelayMillis());
    }

    @Test
    void aDedicatedConnectionNeverReconnects() {
        ReconnectPolicy policy = ReconnectPolicy.never();
        assertEquals(-1, policy.nextDelayMillis());
        policy.succeeded();
        assertEquals(-1, policy.nextDelayMillis());
    }
}
