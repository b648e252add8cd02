package io.rcproxy.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.internal.memory.BufferBudget;
import io.rcproxy.cluster.internal.memory.LargeFrameCumulator;
import io.rcproxy.cluster.internal.memory.ReservedFrame;

/**
 * The buffer memory the request being received holds, and whether it is refused. Each bulk of at least
 * {@link BufferBudget#largeBulk()} bytes is reserved when its {@code $len} header is read, before any of it
 * is buffered, and the cumulator is told to keep the frame in chunks; the reservation then travels with the
 * request's frame ({@link ReservedFrame}). A bulk over {@code max-bulk-length}, or one the budget cannot
 * hold, refuses the whole request: what was reserved goes back at once, and the decoder skips the rest.
 *
 * <p>One instance per decoder, used on the channel's event loop only.
 */
final class RequestReservation {

    private final BufferBudget budget;
    private final LargeFrameCumulator cumulator;
    private final long maxBulkLength;
    /** Bytes of large bulks reserved for the request being received. */
    private long reserved;
    /** Why the request being received is being skipped rather than buffered, or null. */
    private String refusal;

    RequestReservation(BufferBudget budget, LargeFrameCumulator cumulator, long maxBulkLength) {
        this.budget = budget;
        this.cumulator = cumulator;
        this.maxBulkLength = maxBulkLength;
    }

    /** A bulk's {@code $len} header was read: reserve for it, or refuse the request. */
    void bulkAnnounced(long length) {
        if (refusal != null) {
            return;
        }
        if (length > maxBulkLength) {
            // Valid for Redis, too big for us: answer it rather than drop the connection mid-upload.
            refuse("ERR request with a bulk of " + length + " bytes exceeds the proxy's max-bulk-length of "
                    + maxBulkLength + " bytes");
        } else if (budget.counts(length)) {
            if (budget.tryReserve(length)) {
                reserved += length;
                cumulator.largeFrame(true);
            } else {
                refuse(budget.refusal("request", reserved, length));
            }
        }
    }

    private void refuse(String why) {
        refusal = why;
        release();
    }

    boolean refused() {
        return refusal != null;
    }

    /** The refusal's error text; the next request starts clean. */
    String takeRefusal() {
        String why = refusal;
        refusal = null;
        return why;
    }

    /** The request is complete: its frame takes the reservation with it. */
    ByteBuf attachTo(ByteBuf frame) {
        if (reserved == 0) {
            return frame;
        }
        ByteBuf owned = ReservedFrame.wrap(frame, budget, reserved);
        reserved = 0;
        cumulator.largeFrame(false);
        return owned;
    }

    /** The request will not complete (the client left or sent garbage): give the bytes back. */
    void release() {
        budget.release(reserved);
        reserved = 0;
        cumulator.largeFrame(false);
    }

    /** Forgets a refusal along with the reservation, when the stream fails. */
    void reset() {
        refusal = null;
        release();
    }
}
