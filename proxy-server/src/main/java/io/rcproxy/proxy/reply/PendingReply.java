package io.rcproxy.proxy.reply;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.proxy.metrics.CommandMetrics;
import io.rcproxy.proxy.reply.OwedReply;

/**
 * A client's request waiting for its reply: at once the command in flight to Redis and the entry in the
 * client's reply queue, so forwarding a request allocates this one object.
 *
 * <p>Thread: the client's event loop. Ownership: holds the request frame until the command finishes (see
 * {@link ClusterCommand}); then holds the reply until the reply queue hands it to the client to write, or releases
 * it when the client has gone.
 */
public final class PendingReply extends ClusterCommand implements OwedReply {

    private final ReplyQueue queue;
    private ByteBuf reply;
    private boolean abandoned;
    /** Asked for under CLIENT REPLY OFF or SKIP: the reply is dropped when its turn comes. */
    private boolean silent;
    private CommandMetrics metrics;
    private long arrivalNanos;
    /** Told when the reply (or an error) is in; null for all but the commands someone watches (scripts). */
    private Runnable whenAnswered;

    PendingReply(ReplyQueue queue, ByteBuf frame, int slot, int maxRedirects) {
        super(frame, slot, maxRedirects);
        this.queue = queue;
    }

    /** Counts this request's reply in {@code commandMetrics} when it is taken (null: not counted). */
    public void measure(CommandMetrics commandMetrics, long requestArrivalNanos) {
        this.metrics = commandMetrics;
        this.arrivalNanos = requestArrivalNanos;
    }

    /** Runs {@code action} on the client's loop once the reply or an error is in, the client gone or not. */
    public void whenAnswered(Runnable action) {
        this.whenAnswered = action;
    }

    @Override
    protected void onReply(ByteBuf reply) {
        if (whenAnswered != null) {
            whenAnswered.run();
        }
        if (abandoned) {
            reply.release();
            return;
        }
        this.reply = reply;
        queue.onReady(this);
    }

    @Override
    protected void onError(String message) {
        if (whenAnswered != null) {
            whenAnswered.run();
        }
        if (abandoned) {
            return;
        }
        this.reply = Replies.error(queue.alloc(), message);
        queue.onReady(this);
    }

    /** Whether the client has gone; a multi-node request then drops its parts' replies at once. */
    @Override
    public boolean isAbandoned() {
        return abandoned;
    }

    void silent(boolean on) {
        this.silent = on;
    }

    boolean isSilent() {
        return silent;
    }

    boolean isReady() {
        return reply != null;
    }

    /** Hands the reply to the caller, who writes (and so releases) it. */
    ByteBuf takeReply() {
        ByteBuf r = reply;
        reply = null;
        if (metrics != null) {
            metrics.replied(r, wasRedirected(), arrivalNanos);
        }
        return r;
    }

    /** The client went away: release what arrived and drop what is still to come. */
    void abandon() {
        abandoned = true;
        if (reply != null) {
            reply.release();
            reply = null;
        }
    }
}
