package io.rcproxy.proxy.reply;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.proxy.protocol.RedisRequest;

/**
 * What code that keeps state for a client beyond one request (transactions, blocking calls,
 * subscriptions) may do to that client: answer, enqueue a reply to come, push, pause and resume reading
 * for a reason, allocate, and report its state to the session. The channel handler implements it; this
 * code never sees the channel. It lives beside the reply queue, not in {@code frontend}, so the pinned code
 * can use it without a package cycle ({@code frontend} creates the pinned state).
 *
 * <p>Thread: every method is called on the client's event loop only. Ownership: a request handed in ends
 * its journey here or passes its frame on, as each method says; a reply handed in passes to the client.
 */
public interface ClientPort {

    ByteBufAllocator alloc();

    /** The RESP version the client speaks, for the replies the caller builds. */
    Protocol protocol();

    /** The event loop's router: topology, dedicated connections, the idle pool. */
    LoopRouter router();

    /** Queues a reply the proxy built; the request ends its journey here and is released. */
    void answer(RedisRequest request, ByteBuf reply);

    /** As {@link #answer}, with the error {@code message} (a {@link RedisErrors} text). */
    default void answerError(RedisRequest request, String message) {
        answer(request, Replies.error(alloc(), message));
    }

    /** The redirect budget a command forwarded for this client starts with ({@code max-redirects}). */
    int maxRedirects();

    /** Appends an entry the caller completes later; it owns {@code frame} (may be null) until it finishes. */
    PendingReply enqueue(ByteBuf frame, int slot, int redirects);

    /**
     * Sends the request on a dedicated connection, no redirect followed; the frame passes to the entry,
     * which is returned so the caller can tell its reply apart.
     */
    PendingReply forwardOn(NodeConnection connection, RedisRequest request, int slot);

    /** Forwards through the shared multiplexed connections, as a plain single-slot command would be. */
    void forwardShared(RedisRequest request, int slot);

    /**
     * WAIT outside a transaction: waits on the shared connections the client's writes since its last WAIT
     * went over; the request ends its journey here.
     */
    void waitForReplicas(RedisRequest request);

    /** Queues a reply with no request behind it (a published message); goes out after every earlier reply. */
    void push(ByteBuf frame);

    /** As {@link #push}, for a published message: sent even under CLIENT REPLY OFF, as Redis does. */
    default void pushMessage(ByteBuf frame) {
        push(frame);
    }

    /** Routes a request that was held back, as if it had just arrived. */
    void reroute(RedisRequest request);

    /** Stops reading for {@code reason}; reading resumes when every reason has been lifted. */
    void pause(PauseReason reason);

    void resume(PauseReason reason);

    /** Bytes handed to the client's socket and not yet written: how far behind a subscriber is. */
    long unwrittenBytes();

    /** Closes the client at once; its state is then aborted. */
    void closeNow();

    /** The session's id, unique in this proxy: spreads keyless pins over the masters. */
    long clientId();

    /** The client's address, for logs. */
    String address();

    /** {@code proxy.limits.pubsub-output-buffer}: the unwritten bytes a subscriber may have. */
    long pubsubOutputLimit();

    /** For CLIENT LIST: commands queued in MULTI, or -1 outside a transaction. */
    void transactionQueued(int queued);

    /** For CLIENT LIST: whether a blocking command is in progress. */
    void blocked(boolean blocked);

    /** For CLIENT LIST: how many channels, patterns and shard channels the client is subscribed to. */
    void subscriptions(int channels, int patterns, int shardChannels);
}
