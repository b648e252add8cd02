package io.rcproxy.cluster.dispatch;

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
        /** Flushes now; called once per {@link #flushLater} at the end of the turn. */
        void flushNow();
    }

    private final EventLoop loop;
    private final Runnable flushAll = this::flushAll;
    private Flushable[] pending = new Flushable[64];
    private int size;
    private boolean scheduled;

    public LoopFlusher(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Flushes {@code target} at the end of this turn. Callers keep a flag so each passes itself once per
     * turn; a duplicate would only cost an extra, empty flush.
     */
    public void flushLater(Flushable target) {
        if (loop.isShuttingDown()) {
            // A stopping loop may never run another task; whatever was written must reach its channel
            // now, where the channel's own close releases it.
            target.flushNow();
            return;
        }
        if (size == pending.length) {
            pending = Arrays.copyOf(pending, size * 2);
        }
        pending[size++] = target;
        if (!scheduled) {
            scheduled = true;
            loop.execute(flushAll);
        }
    }

    private void flushAll() {
        scheduled = false;
        // Flushing can trigger callbacks that add channels; they are flushed in this same pass.
        for (int i = 0; i < size; i++) {
            Flushable target = pending[i];
            pending[i] = null;
            target.flushNow();
        }
        size = 0;
    }
}
