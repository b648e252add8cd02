package io.rcproxy.cluster.internal.memory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;

/**
 * A frame holding large bulks that were reserved in a {@link BufferBudget}: it reads and writes exactly like
 * the frame it wraps (one component, indices unchanged), and gives the reserved bytes back when its last
 * reference is released. The budget thus stays right whichever handler ends the frame's journey, and however
 * many duplicates were written on the way.
 *
 * <p>Thread: any; the release happens on the thread dropping the last reference. Ownership: takes the one
 * reference of the wrapped frame; whoever owns this buffer releases it once.
 */
public final class ReservedFrame extends CompositeByteBuf {

    private final BufferBudget budget;
    private final long reserved;

    private ReservedFrame(ByteBuf frame, BufferBudget budget, long reserved) {
        super(frame.alloc(), frame.isDirect(), 2);
        this.budget = budget;
        this.reserved = reserved;
        addComponent(true, frame);
    }

    /** Wraps {@code frame} (taking its reference) so that releasing it releases {@code reserved} bytes too. */
    public static ByteBuf wrap(ByteBuf frame, BufferBudget budget, long reserved) {
        if (reserved <= 0) {
            return frame;
        }
        return new ReservedFrame(frame, budget, reserved);
    }

    @Override
    protected void deallocate() {
        try {
            super.deallocate();
        } finally {
            budget.release(reserved);
        }
    }
}
