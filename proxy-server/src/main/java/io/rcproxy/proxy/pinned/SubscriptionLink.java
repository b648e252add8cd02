package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.rcproxy.cluster.internal.connection.PushConnection;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.RedisErrors;
import java.util.ArrayDeque;

/**
 * One subscription connection ({@link PushConnection}) and the (un)subscribe requests waiting for its
 * confirmations, oldest first. Redis confirms each channel of a request with a frame of its own; the
 * frames gather until the request's last one is in, then complete its reply-queue entry at once.
 *
 * <p>Thread: the client's event loop. Ownership: a frame sent passes to the connection; confirmation
 * frames gather in a composite buffer owned by the waiting request until it completes or fails.
 */
final class SubscriptionLink {

    private final PushConnection connection;
    /** The master for shard channels; null for the classic (channels and patterns) connection. */
    private final ClusterNode shardNode;
    private final ArrayDeque<Awaited> awaited = new ArrayDeque<>(2);

    SubscriptionLink(PushConnection connection, ClusterNode shardNode) {
        this.connection = connection;
        this.shardNode = shardNode;
    }

    PushConnection connection() {
        return connection;
    }

    /** The master of a shard-channel link; null for the classic link. */
    ClusterNode shardNode() {
        return shardNode;
    }

    /** No request is waiting for a confirmation. */
    boolean awaitsNothing() {
        return awaited.isEmpty();
    }

    /**
     * Writes {@code frame} (which passes to the connection) and awaits {@code confirmations} frames for
     * {@code entry}; a null entry (a resubscription the proxy sent itself) drops them.
     */
    void send(ByteBuf frame, PendingReply entry, int confirmations) {
        Awaited request = new Awaited(entry, confirmations);
        awaited.add(request);
        if (!connection.writeFrame(frame)) {
            awaited.remove(request);
            request.fail(RedisErrors.subscriptionDown(connection.node()));
        }
    }

    /** A confirmation for the oldest waiting request; takes ownership of {@code frame}. */
    void confirm(ByteBuf frame, ByteBufAllocator alloc) {
        if (awaited.peek().accept(frame, alloc)) {
            awaited.poll();
        }
    }

    /** Fails every waiting request with {@code message}. */
    void failAll(String message) {
        Awaited request;
        while ((request = awaited.poll()) != null) {
            request.fail(message);
        }
    }

    void close(String reason) {
        connection.close(reason);
    }

    /** A request's confirmations: {@code remaining} more frames, gathered for its reply-queue entry. */
    private static final class Awaited {
        /** Null: sent by the proxy itself (a resubscription); its confirmations are dropped. */
        private final PendingReply entry;
        private int remaining;
        private CompositeByteBuf gathered;

        Awaited(PendingReply entry, int remaining) {
            this.entry = entry;
            this.remaining = remaining;
        }

        /** Takes ownership of {@code frame}; true once the last frame is in (an error is the last). */
        boolean accept(ByteBuf frame, ByteBufAllocator alloc) {
            remaining = PushFrames.isError(frame) ? 0 : remaining - 1;
            if (entry == null) {
                frame.release();
                return remaining <= 0;
            }
            if (gathered == null && remaining <= 0) {
                entry.complete(frame);
                return true;
            }
            if (gathered == null) {
                gathered = alloc.compositeBuffer(remaining + 1);
            }
            gathered.addComponent(true, frame);
            if (remaining <= 0) {
                CompositeByteBuf all = gathered;
                gathered = null;
                entry.complete(all);
                return true;
            }
            return false;
        }

        void fail(String message) {
            if (gathered != null) {
                gathered.release();
                gathered = null;
            }
            if (entry != null) {
                entry.fail(message);
            }
        }
    }
}
