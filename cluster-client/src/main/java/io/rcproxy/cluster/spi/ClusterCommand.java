package io.rcproxy.cluster.spi;

import io.netty.buffer.ByteBuf;

/**
 * One command on its way to the cluster: the encoded request frame, the slot it routes by, and what is
 * left of its redirect budget. Subclasses say what happens to the final reply; the proxy's per-request
 * reply entry is one, so a forwarded request costs a single object.
 *
 * <p>Thread: created anywhere, but from dispatch on it belongs to one event loop, which calls exactly one
 * of {@link #onReply} or {@link #onError}. Ownership: the command owns {@link #frame()} (refCnt 1) until it
 * finishes and releases it just before the callback, so a redirect can resend the same bytes.
 */
public abstract class ClusterCommand {

    /** Routes to any master: the command has no key. */
    public static final int ANY_SLOT = -1;

    private ByteBuf frame;
    private final int slot;
    private final int redirectBudget;
    private int redirectsLeft;
    private long retryDeadlineNanos;
    private int retries;
    private int affinity;
    private boolean resp3;
    private boolean replicaRead;
    private long sentAtNanos;
    private boolean finished;

    protected ClusterCommand(ByteBuf frame, int slot, int maxRedirects) {
        this.frame = frame;
        this.slot = slot;
        this.redirectsLeft = maxRedirects;
        this.redirectBudget = maxRedirects;
    }

    /**
     * The final reply, one complete RESP frame. Ownership passes to the callee, which must release it.
     * Redis error replies arrive here too, as frames starting with '-'.
     */
    protected abstract void onReply(ByteBuf reply);

    /**
     * The command failed inside the client (connection lost, timeout, no owner for the slot). The message
     * is a Redis-style error without the leading '-', e.g. {@code ERR connection to node 10.0.0.1:6379 lost}.
     */
    protected abstract void onError(String message);

    public final ByteBuf frame() {
        return frame;
    }

    public final int slot() {
        return slot;
    }

    /** Picks the connection among a node's K; commands sharing it keep their relative order. */
    public final int affinity() {
        return affinity;
    }

    /** Sets the affinity; any non-negative number. */
    public final ClusterCommand affinity(int value) {
        this.affinity = value & Integer.MAX_VALUE;
        return this;
    }

    /** Whether the command travels on connections that speak RESP3, so its reply comes in RESP3. */
    public final boolean resp3() {
        return resp3;
    }

    /** Sends the command on RESP3 connections ({@code true}) or RESP2 ones (the default). */
    public final ClusterCommand resp3(boolean value) {
        this.resp3 = value;
        return this;
    }

    /**
     * Whether a replica of the slot's master may serve the command, when the client reads from replicas
     * (ClusterClient.readFrom): a read-only command on one slot. Ignored otherwise.
     */
    public final boolean replicaRead() {
        return replicaRead;
    }

    public final ClusterCommand replicaRead(boolean value) {
        this.replicaRead = value;
        return this;
    }

    public final int redirectsLeft() {
        return redirectsLeft;
    }

    /**
     * True for commands the client may redirect or retry at all (created with a redirect budget); a
     * command sent with none gets every reply, TRYAGAIN and CLUSTERDOWN included, as Redis sent it.
     */
    public final boolean followsRedirects() {
        return redirectBudget > 0;
    }

    /** True once the command followed a MOVED or ASK, or was retried after TRYAGAIN or CLUSTERDOWN. */
    public final boolean wasRedirected() {
        return redirectsLeft < redirectBudget || retries > 0;
    }

    /** Counts one TRYAGAIN/CLUSTERDOWN retry and returns how many came before it, for the backoff. */
    public final int spendRetry() {
        return retries++;
    }

    /**
     * Starts the retry window at the first TRYAGAIN or CLUSTERDOWN and tells whether {@code nowNanos} is
     * still inside it; later calls keep the first deadline.
     */
    public final boolean withinRetryWindow(long nowNanos, long windowNanos) {
        if (retryDeadlineNanos == 0) {
            retryDeadlineNanos = nowNanos + windowNanos;
            return windowNanos > 0;
        }
        return nowNanos - retryDeadlineNanos < 0;
    }

    public final boolean finished() {
        return finished;
    }

    /** Spends one redirect; false when the budget was already empty. */
    public final boolean spendRedirect() {
        if (redirectsLeft <= 0) {
            return false;
        }
        redirectsLeft--;
        return true;
    }

    public final long sentAtNanos() {
        return sentAtNanos;
    }

    public final void markSent(long nanos) {
        sentAtNanos = nanos;
    }

    /** Delivers the final reply (ownership passes on). A second completion only releases its reply. */
    public final void complete(ByteBuf reply) {
        if (finished) {
            reply.release();
            return;
        }
        finished = true;
        releaseFrame();
        onReply(reply);
    }

    /** Fails the command with a Redis-style error message. Ignored once finished. */
    public final void fail(String message) {
        if (finished) {
            return;
        }
        finished = true;
        releaseFrame();
        onError(message);
    }

    private void releaseFrame() {
        ByteBuf f = frame;
        if (f != null) {
            frame = null;
            f.release();
        }
    }
}
