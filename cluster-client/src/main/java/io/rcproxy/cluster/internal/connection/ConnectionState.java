package io.rcproxy.cluster.internal.connection;

/**
 * Where a backend connection is in its life. Each state is a record with only what that state has: the
 * {@link Wire} while there is a channel, the reason to close with while draining. Every move is checked
 * against {@link #allows}, which is the machine drawn here:
 *
 * <pre>
 *  Unopened ─▶ Connecting ─▶ Authenticating ─▶ Open ─▶ Draining ─▶ Closed
 *                 │   ▲    (without AUTH: ───▶ Open)        │
 *                 ▼   │            │              │         │
 *                Backoff ◀─────────┴──────────────┘         │ (a draining
 *                                                           │  connection
 *  any state but Closed ─────────────────▶ Closed ◀─────────┘  never retries)
 * </pre>
 *
 * <p>Connecting queues commands; Authenticating (AUTH sent, its reply not in yet), Open and Draining write
 * them at once; Backoff and Closed refuse them. A connection whose {@link ReconnectPolicy} never
 * reconnects goes to Closed where a pooled one goes to Backoff. Metrics and readiness see the coarser
 * {@link NodeConnection.State} that {@link #reported} gives.
 *
 * <p>Immutable; each connection holds its current state on its event loop.
 */
sealed interface ConnectionState {

    /** Whether moving from this state to {@code next} is a transition of the machine above. */
    default boolean allows(ConnectionState next) {
        if (next instanceof Closed) {
            return !(this instanceof Closed);
        }
        if (this instanceof Unopened || this instanceof Backoff) {
            return next instanceof Connecting;
        }
        if (this instanceof Connecting) {
            return next instanceof Authenticating || next instanceof Open || next instanceof Backoff;
        }
        if (this instanceof Authenticating) {
            return next instanceof Open || next instanceof Draining || next instanceof Backoff;
        }
        if (this instanceof Open) {
            return next instanceof Draining || next instanceof Backoff;
        }
        return false; // Draining only closes; Closed is final
    }

    /** What metrics and readiness count this state as. */
    default NodeConnection.State reported() {
        if (this instanceof Connecting) {
            return NodeConnection.State.CONNECTING;
        }
        if (this instanceof Connected) {
            return NodeConnection.State.ACTIVE;
        }
        return this instanceof Backoff ? NodeConnection.State.BACKOFF : NodeConnection.State.CLOSED;
    }

    /** A state with a connected channel: what is sent is written at once. */
    sealed interface Connected extends ConnectionState {
        Wire wire();
    }

    /** Built, no channel asked for yet. */
    record Unopened() implements ConnectionState {
    }

    /** The channel is being connected; commands wait in the FIFO. */
    record Connecting(Wire wire) implements ConnectionState {
    }

    /** Connected and AUTH written; commands are written behind it, and its reply decides. */
    record Authenticating(Wire wire) implements Connected {
    }

    record Open(Wire wire) implements Connected {
    }

    /** Closes with {@code reason} once the last reply in flight is in (or at the timeout). */
    record Draining(Wire wire, String reason) implements Connected {
    }

    /** Failed; waiting for the next attempt, refusing commands meanwhile so a dead node answers at once. */
    record Backoff() implements ConnectionState {
    }

    /** Final. */
    record Closed() implements ConnectionState {
    }
}
