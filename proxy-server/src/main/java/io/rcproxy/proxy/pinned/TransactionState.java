package io.rcproxy.proxy.pinned;

import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.proxy.protocol.RedisRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one client's transaction stands. Every transition is made by {@link Transaction}:
 *
 * <pre>
 *   Idle ──WATCH──▶ Watching ──MULTI──▶ Pinned ──EXEC/DISCARD/RESET──▶ Idle
 *   Idle ──MULTI──▶ Unpinned ──keyed command──▶ Pinned
 *   Unpinned ──EXEC/DISCARD/RESET──▶ Idle;   Watching ──UNWATCH/RESET──▶ Idle
 *   connection lost: Watching ──▶ Idle(failed);  Pinned ──▶ Unpinned(failed)
 *   redirect seen on the connection: Watching, Pinned ──▶ the same, tainted (closed, not pooled, at the end)
 * </pre>
 *
 * {@code failed} means the next EXEC answers {@code -EXECABORT}; {@code slot} is the slot every later key
 * must hash to (-1: not decided). Thread: the client's event loop.
 */
sealed interface TransactionState
        permits TransactionState.Idle, TransactionState.Watching, TransactionState.Unpinned, TransactionState.Pinned {

    Idle IDLE = new Idle(-1, false);

    boolean failed();

    /** The slot keys must hash to, or -1. */
    int slot();

    /** This state, marked to end in {@code -EXECABORT}. */
    TransactionState fail();

    /** The dedicated connection this state holds, or null. */
    default Pin pin() {
        return null;
    }

    /** This state after a redirect came back on its connection: what Redis holds for it is unknown. */
    default TransactionState taint() {
        return this;
    }

    /**
     * This state after its connection was lost: WATCHes are gone (Idle, failed); a MULTI must be sent again
     * on the next pinned connection (Unpinned, failed).
     */
    default TransactionState lost() {
        return this;
    }

    /** The dedicated connection and whether a redirect seen on it means Redis's state for it is unknown. */
    record Pin(NodeConnection connection, int slot, boolean tainted) {
        Pin withSlot(int keySlot) {
            return keySlot >= 0 ? new Pin(connection, keySlot, tainted) : this;
        }

        Pin markTainted() {
            return new Pin(connection, slot, true);
        }
    }

    /** No MULTI and no connection. A WATCH lost with its connection leaves {@code failed} set. */
    record Idle(int slot, boolean failed) implements TransactionState {
        @Override
        public TransactionState fail() {
            return new Idle(slot, true);
        }
    }

    /** No MULTI; WATCHes are held on {@code pin}'s connection. */
    record Watching(Pin pin, boolean failed) implements TransactionState {
        @Override
        public int slot() {
            return pin.slot();
        }

        @Override
        public TransactionState fail() {
            return new Watching(pin, true);
        }

        @Override
        public TransactionState taint() {
            return new Watching(pin.markTainted(), failed);
        }

        @Override
        public TransactionState lost() {
            return new Idle(slot(), true);
        }
    }

    /**
     * Inside MULTI before a key decided the node: the proxy answered MULTI and keeps the keyless commands
     * queued so far ({@code held}, owned here until sent or released).
     */
    record Unpinned(int slot, int queued, boolean failed, List<RedisRequest> held) implements TransactionState {
        @Override
        public TransactionState fail() {
            return new Unpinned(slot, queued, true, held);
        }
    }

    /** Inside MULTI on {@code pin}'s connection, where MULTI has been sent. */
    record Pinned(Pin pin, int queued, boolean failed) implements TransactionState {
        @Override
        public int slot() {
            return pin.slot();
        }

        @Override
        public TransactionState fail() {
            return new Pinned(pin, queued, true);
        }

        @Override
        public TransactionState taint() {
            return new Pinned(pin.markTainted(), queued, failed);
        }

        @Override
        public TransactionState lost() {
            return new Unpinned(slot(), queued, true, new ArrayList<>(0));
        }
    }
}
