package io.rcproxy.cluster.internal.connection;

import io.rcproxy.cluster.internal.Backoff;

/**
 * What a failed connection does next. A pooled connection reconnects after a pause from its
 * {@link Backoff}, growing with each failure in a row; a dedicated one never does, because its owner holds
 * state (MULTI, a blocked command) that a new connection would not have, and decides for itself.
 *
 * <p>Thread: the connection's event loop; each connection has its own instance (it counts failures).
 */
sealed interface ReconnectPolicy {

    /** Counts a failure and gives the pause before the next attempt, or -1 for none. */
    long nextDelayMillis();

    /** A connection (and AUTH, if configured) succeeded: the next failure starts the backoff again. */
    void succeeded();

    static ReconnectPolicy never() {
        return Never.INSTANCE;
    }

    static ReconnectPolicy after(Backoff backoff) {
        return new Retry(backoff);
    }

    /** Dedicated connections: a failure closes for good. */
    enum Never implements ReconnectPolicy {
        INSTANCE;

        @Override
        public long nextDelayMillis() {
            return -1;
        }

        @Override
        public void succeeded() {
        }
    }

    /** Pooled connections: retry forever, pausing as {@code backoff} says. */
    final class Retry implements ReconnectPolicy {
        private final Backoff backoff;
        private int failures;

        Retry(Backoff backoff) {
            this.backoff = backoff;
        }

        @Override
        public long nextDelayMillis() {
            return backoff.delayMillis(failures++);
        }

        @Override
        public void succeeded() {
            failures = 0;
        }
    }
}
