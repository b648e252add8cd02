package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.rcproxy.proxy.reply.PendingReply;

/**
 * One (un)subscribe request's reply, which may wait on several subscription connections: a channel lives
 * on its slot's master, a pattern on every master. The reply itself, Redis's confirmations with the
 * counts one Redis would give for this client, is built by the proxy when the request is routed; it goes
 * to the client once every connection the request was written on has confirmed its part, so a message
 * published after the client saw the reply reaches it. The first error Redis sent (or a lost connection)
 * is the reply instead.
 *
 * <p>Thread: the client's event loop. Ownership: holds the built reply, and the first error frame, until
 * it completes the entry with one of them and releases the other; with no entry (a resubscription the
 * proxy sent itself) both are released.
 */
final class Confirmation {

    /** Null: the proxy's own resubscription, whose confirmations nobody sees. */
    private final PendingReply entry;
    private ByteBuf reply;
    private ByteBuf error;
    private String failure;
    /** Parts still to confirm, plus one held while the request is being written (see {@link #sent}). */
    private int outstanding = 1;

    Confirmation(PendingReply entry, ByteBuf reply) {
        this.entry = entry;
        this.reply = reply;
    }

    /** For a resubscription: nothing goes to the client. */
    static Confirmation silent() {
        return new Confirmation(null, null);
    }

    /** One more connection's part to wait for. */
    void expect() {
        outstanding++;
    }

    /** A connection confirmed its part; {@code errorFrame} (taken, may be null) is Redis's refusal. */
    void partConfirmed(ByteBuf errorFrame) {
        if (errorFrame != null) {
            if (error == null && failure == null) {
                error = errorFrame;
            } else {
                errorFrame.release();
            }
        }
        done();
    }

    /** A connection's part will never be confirmed (write refused, connection lost). */
    void partFailed(String message) {
        if (error == null && failure == null) {
            failure = message;
        }
        done();
    }

    /** Every part has been written: from now on the last confirmation completes the reply. */
    void sent() {
        done();
    }

    private void done() {
        if (--outstanding > 0) {
            return;
        }
        ByteBuf built = reply;
        ByteBuf refused = error;
        reply = null;
        error = null;
        if (entry == null) {
            release(built);
            release(refused);
        } else if (refused != null) {
            release(built);
            entry.complete(refused);
        } else if (failure != null) {
            release(built);
            entry.fail(failure);
        } else {
            entry.complete(built);
        }
    }

    private static void release(ByteBuf buf) {
        if (buf != null) {
            buf.release();
        }
    }
}
