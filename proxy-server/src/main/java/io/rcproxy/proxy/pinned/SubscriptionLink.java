package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.internal.connection.PushConnection;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.reply.RedisErrors;
import java.util.ArrayDeque;

/**
 * One subscription connection ({@link PushConnection}) to one master and the (un)subscribe requests
 * waiting for its confirmations, oldest first. Redis confirms each name of a request with a frame of its
 * own; once a request's last frame is in, its {@link Confirmation} hears that this part is done. A classic
 * link carries channels and patterns, a shard link shard channels.
 *
 * <p>Thread: the client's event loop. Ownership: a frame sent passes to the connection; confirmation
 * frames are released here, except an error, which passes to the request's {@link Confirmation}.
 */
final class SubscriptionLink {

    private final PushConnection connection;
    private final boolean shard;
    private final ArrayDeque<Awaited> awaited = new ArrayDeque<>(2);

    SubscriptionLink(PushConnection connection, boolean shard) {
        this.connection = connection;
        this.shard = shard;
    }

    PushConnection connection() {
        return connection;
    }

    ClusterNode node() {
        return connection.node();
    }

    /** Whether this link carries shard channels (else channels and patterns). */
    boolean isShard() {
        return shard;
    }

    /** No request is waiting for a confirmation. */
    boolean awaitsNothing() {
        return awaited.isEmpty();
    }

    /** Writes {@code frame} (which passes to the connection), a part of {@code request} confirmed by {@code frames} frames. */
    void send(ByteBuf frame, Confirmation request, int frames) {
        Awaited part = new Awaited(request, frames);
        request.expect();
        awaited.add(part);
        if (!connection.writeFrame(frame)) {
            awaited.remove(part);
            request.partFailed(RedisErrors.subscriptionDown(connection.node()));
        }
    }

    /** A confirmation for the oldest waiting request; takes ownership of {@code frame}. */
    void confirm(ByteBuf frame) {
        if (awaited.peek().accept(frame)) {
            awaited.poll();
        }
    }

    /** Fails every waiting request with {@code message}. */
    void failAll(String message) {
        Awaited part;
        while ((part = awaited.poll()) != null) {
            part.request.partFailed(message);
        }
    }

    void close(String reason) {
        connection.close(reason);
    }

    /** One request's part on this link: {@code remaining} more frames. */
    private static final class Awaited {
        private final Confirmation request;
        private int remaining;

        Awaited(Confirmation request, int remaining) {
            this.request = request;
            this.remaining = remaining;
        }

        /** Takes ownership of {@code frame}; true once the part's last frame is in (an error is the last). */
        boolean accept(ByteBuf frame) {
            if (PushFrames.isError(frame)) {
                request.partConfirmed(frame);
                return true;
            }
            frame.release();
            if (--remaining > 0) {
                return false;
            }
            request.partConfirmed(null);
            return true;
        }
    }
}
