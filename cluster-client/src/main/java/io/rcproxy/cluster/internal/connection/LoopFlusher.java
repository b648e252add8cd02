package io.rcproxy.cluster.internal.connection;

import io.netty.channel.EventLoop;
import java.util.Arrays;

/**
 * Flushes every channel written during one event-loop turn, once, at the end of the turn. Writes from
 * many clients to the same backend connection (and many replies to the same client) thus share one
 * {@code writev}, and the whole loop pays for a single scheduled task per turn instead of one per channel.
 *
 * <p>Thread: confined to its event loop; {@link #flushLater} must be called on it.
 */
public final class LoopFlusher {

    /** Something with writes to flush: a backend connection or a client connection. */
    public interface Flushable {
        /** Flushes now; called at the end of a turn in which its {@link Slot} asked. */
        void flushNow();
    }

    /** One target's place in the flusher: however often it asks in a turn, it is flushed once. */
    public static final class Slot {
        private final LoopFlusher flusher;
        private final Flushable target;
        private boolean scheduled;

        private Slot(LoopFlusher flusher, Flushable target) {
            this.flusher = flusher;
            this.target = target;
        }

        /** Flushes the target at the end of this turn, once however many writes came before. */
        public void flushLater() {
            if (!scheduled) {
                scheduled = true;
                flusher.add(this);
            }
        }

        private void flush() {
            scheduled = false;
            target.flushNow();
        }
    }

    private final EventLoop loop;
    private final Runnable flushAll = this::flushAll;
    private Slot[] pending = new Slot[64];
    private int size;
    private boolean scheduled;

    public LoopFlusher(EventLoop loop) {
        this.loop = loop;
    }

    /** {@code target}'s slot; each target takes one, once, and asks through it. */
    public Slot slot(Flushable target) {
        return new Slot(this, target);
    }

    private void add(Slot slot) {
        if (loop.isShuttingDown()) {
            // A stopping loop may never run another task; whatever was written must reach its channel
            // now, where the channel's own close releases it.
            slot.flush();
            return;
        }
        if (size == pending.length) {
            pending = Arrays.copyOf(pending, size * 2);
        }
        pending[size++] = slot;
        if (!scheduled) {
            scheduled = true;
            loop.execute(flushAll);
        }
    }

    private void flushAll() {
        scheduled = false;
        // Flushing can trigger callbacks that add channels; they are flushed in this same pass.
        for (int i = 0; i < size; i++) {
            Slot slot = pending[i];
            pending[i] = null;
            slot.flush();
        }
        size = 0;
    }
}
