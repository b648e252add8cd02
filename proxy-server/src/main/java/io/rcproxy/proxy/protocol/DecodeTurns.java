package io.rcproxy.proxy.protocol;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.TimeUnit;

/**
 * How much decoding one client may do per event-loop turn, and the yield when it has done that much: the
 * decoder tells the frontend it is {@link RequestBacklog#BEHIND} (reads pause), and a task scheduled for a
 * later turn, after other channels' I/O, decodes the next slice. Once a read leaves nothing undecoded, the
 * frontend hears {@link RequestBacklog#CAUGHT_UP}.
 *
 * <p>A read gets a fresh slice only when no continuation is waiting; otherwise its bytes join the backlog
 * and the continuation (one per turn) decodes them. A transport may deliver many reads in one turn
 * (io_uring completions), and a slice per read would not bound the turn.
 *
 * <p>One instance per decoder, used on the channel's event loop only.
 */
final class DecodeTurns {

    private final int workPerTurn;
    private final Runnable continuation;
    private int workLeft;
    private boolean yieldedThisRead;
    private boolean behind;
    private boolean continuationScheduled;

    /** {@code continuation} decodes what was set aside; it must call {@link #continuationStarted} first. */
    DecodeTurns(int workPerTurn, Runnable continuation) {
        this.workPerTurn = workPerTurn;
        this.continuation = continuation;
        this.workLeft = workPerTurn;
    }

    /** Before a read is decoded. */
    void readStarted() {
        if (!continuationScheduled) {
            workLeft = workPerTurn;
        }
        yieldedThisRead = false;
    }

    /** After a read was decoded: tells the frontend when the backlog is gone. */
    void readEnded(ChannelHandlerContext ctx) {
        if (behind && !yieldedThisRead) {
            behind = false;
            ctx.fireUserEventTriggered(RequestBacklog.CAUGHT_UP);
        }
    }

    void continuationStarted() {
        continuationScheduled = false;
    }

    /** Spends one unit of this turn's work; false (having yielded) when none is left. */
    boolean spend(ChannelHandlerContext ctx) {
        if (workLeft <= 0) {
            yieldLoop(ctx);
            return false;
        }
        workLeft--;
        return true;
    }

    /** Spends {@code units} at once (splitting a long inline line); may go below zero, to yield next time. */
    void spend(int units) {
        workLeft -= units;
    }

    private void yieldLoop(ChannelHandlerContext ctx) {
        yieldedThisRead = true;
        if (!behind) {
            behind = true;
            ctx.fireUserEventTriggered(RequestBacklog.BEHIND);
        }
        if (!continuationScheduled) {
            continuationScheduled = true;
            // schedule, not execute: a task the loop runs in this turn's task batch could chain itself for
            // up to the loop's task quantum; a scheduled one waits for the next turn, after its I/O.
            ctx.executor().schedule(continuation, 0, TimeUnit.NANOSECONDS);
        }
    }
}
