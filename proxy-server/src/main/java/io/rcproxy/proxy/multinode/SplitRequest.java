package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.proxy.reply.OwedReply;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.Replies;

/**
 * A client request the proxy answers by sending several parts to the cluster (a fan-out by slot, a
 * command for every master) and merging their replies into the one reply the client is owed.
 *
 * <p>The client's place in its reply queue is a {@link OwedReply} that is never sent anywhere: this
 * request completes it, exactly once, when the last part is back. Until then the entry blocks the replies
 * behind it, so the client's pipeline keeps its order.
 *
 * <p>Thread: the client's event loop, which also runs every part's callback. Ownership: each part's reply
 * (or an error built for its failure) is held in {@link #replies} until the merge; {@link #merge} may take
 * one by setting its slot to null, and every reply left is released after the merge, whatever happened.
 * Once the client has gone, replies are released as they arrive and nothing is merged.
 */
abstract class SplitRequest {

    private final OwedReply parent;
    final ByteBufAllocator alloc;
    private final ByteBuf[] replies;
    private int outstanding;

    SplitRequest(OwedReply parent, ByteBufAllocator alloc, int parts) {
        this.parent = parent;
        this.alloc = alloc;
        this.replies = new ByteBuf[parts];
        this.outstanding = parts;
    }

    /** A part command whose reply lands at {@code index}; the caller dispatches it. Takes {@code frame}. */
    final SplitPart part(int index, ByteBuf frame, int slot, int maxRedirects, int affinity) {
        SplitPart part = new SplitPart(this, index, frame, slot, maxRedirects);
        part.affinity(affinity);
        return part;
    }

    final int parts() {
        return replies.length;
    }

    /** Part {@code index} answered; takes ownership of {@code reply}. */
    final void partReplied(int index, ByteBuf reply) {
        if (parent.isAbandoned() || replies[index] != null) {
            reply.release();
        } else {
            replies[index] = reply;
        }
        partDone();
    }

    /** Part {@code index} failed inside the cluster client (lost connection, timeout, no owner). */
    final void partFailed(int index, String message) {
        if (!parent.isAbandoned() && replies[index] == null) {
            replies[index] = Replies.error(alloc, message);
        }
        partDone();
    }

    private void partDone() {
        if (--outstanding == 0) {
            finish();
        }
    }

    private void finish() {
        if (parent.isAbandoned()) {
            releaseReplies();
            return;
        }
        ByteBuf merged;
        try {
            merged = merge(replies);
        } catch (RuntimeException unexpected) {
            merged = Replies.error(alloc, "ERR unexpected reply from the cluster: " + unexpected.getMessage());
        } finally {
            releaseReplies();
        }
        if (merged != null) {
            parent.complete(merged);
        }
    }

    /** The client's entry: a request that hands on to another (SCAN's next master) completes it there. */
    final OwedReply parent() {
        return parent;
    }

    private void releaseReplies() {
        for (int i = 0; i < replies.length; i++) {
            if (replies[i] != null) {
                replies[i].release();
                replies[i] = null;
            }
        }
    }

    /**
     * Builds the client's reply from every part's reply (each non-null, in part order). Returns a new
     * buffer, or one of {@code replies} taken by nulling its slot, or null when it handed the client's
     * entry on to a request it started (which then completes it). Must not allocate before it has
     * validated what it reads, so a throw leaks nothing.
     */
    abstract ByteBuf merge(ByteBuf[] replies);

    /** The first part's error reply, taken from {@code replies}, or null when no part failed. */
    static ByteBuf takeFirstError(ByteBuf[] replies) {
        for (int i = 0; i < replies.length; i++) {
            if (ReplyFrames.isError(replies[i])) {
                ByteBuf error = replies[i];
                replies[i] = null;
                return error;
            }
        }
        return null;
    }

    /** Takes {@code replies[index]}. */
    static ByteBuf take(ByteBuf[] replies, int index) {
        ByteBuf reply = replies[index];
        replies[index] = null;
        return reply;
    }
}
