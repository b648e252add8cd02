package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.metrics.CommandMetrics;
import io.rcproxy.proxy.multinode.MultiNodeCommands;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.PauseReason;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.ReplyQueue;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where one client's routed requests go out and their replies queue up: sends a request to the cluster in
 * the client's protocol and affinity, queues replies the proxy builds, owes replies answered later from
 * several nodes, and pauses reading while the client has too many replies outstanding or a backend
 * connection it used is unwritable. It is also the {@link ClientPort} through which pinned code reaches
 * the client. {@link ClientRequests} decides where each request goes; this class takes it there.
 *
 * <p>Thread: the client's event loop, which also owns every backend connection the router hands out.
 * Ownership: a forwarded request's frame passes to its {@link PendingReply}; a request answered here or
 * owed is released here.
 */
final class ClientOutbox implements ClientPort {

    private final ClientHandler handler;
    private final Channel channel;
    private final FrontendContext context;
    private final LoopRouter router;
    private final ClientSession session;
    private final int maxPending;
    private final int maxRedirects;
    /** Keeps this client on one of each node's connections, so its pipeline stays in order. */
    private final int affinity;
    private final ReplyQueue replies;
    private final ReadPauses pauses;
    private final Runnable backendWritable = () -> resume(PauseReason.BACKEND_UNWRITABLE);
    private final MultiNodeCommands multiNode;
    private final WrittenMasters written = new WrittenMasters();
    private final Consumer<RedisRequest> reroute;
    /** The request being routed: its command's metrics, when it was read, whether it may write or go to a replica. */
    private CommandMetrics measured;
    private long arrivalNanos;
    private boolean routingWrite;
    private boolean routingReplicaRead;

    ClientOutbox(ClientHandler handler, Channel channel, FrontendContext context, LoopRouter router,
                 ClientSession session, Consumer<RedisRequest> reroute) {
        this.handler = handler;
        this.channel = channel;
        this.context = context;
        this.router = router;
        this.session = session;
        this.maxPending = context.config().maxPendingPerClient();
        this.maxRedirects = context.config().maxRedirects();
        this.affinity = (int) session.id();
        this.replies = new ReplyQueue(handler);
        this.pauses = new ReadPauses(channel.config());
        this.multiNode = new MultiNodeCommands(context, router, affinity, maxRedirects);
        this.reroute = reroute;
    }

    /** A request starts being routed: what its replies are measured by and where it may be sent. */
    void begin(CommandMetrics metrics, long nanos, boolean write, boolean replicaRead) {
        this.measured = metrics;
        this.arrivalNanos = nanos;
        this.routingWrite = write;
        this.routingReplicaRead = replicaRead;
    }

    boolean routingWrite() {
        return routingWrite;
    }

    MultiNodeCommands multiNode() {
        return multiNode;
    }

    /** Sends the request's frame to the cluster; ownership of the frame passes to the pending entry, returned. */
    PendingReply forward(RedisRequest request, int slot) {
        PendingReply entry = replies.add(request.frame(), slot, maxRedirects);
        entry.replicaRead(routingReplicaRead); // false unless proxy.read-from sends this read to a replica
        entry.measure(measured, arrivalNanos);
        send(entry);
        return entry;
    }

    /**
     * Dispatches a command for this client in its protocol and affinity: remembers the master for WAIT when
     * it writes, and pauses reading while the connection it took is unwritable.
     */
    void send(ClusterCommand command) {
        command.affinity(affinity);
        command.resp3(session.protocol().resp3()); // the reply comes in the client's protocol, bytes as they are
        NodeConnection connection = router.dispatch(command);
        if (routingWrite && connection != null) {
            written.wrote(connection.node());
        }
        if (connection != null && !connection.isWritable() && !pauses.isPaused(PauseReason.BACKEND_UNWRITABLE)) {
            pauses.pause(PauseReason.BACKEND_UNWRITABLE);
            connection.whenWritable(backendWritable);
        }
        pauseIfTooManyPending();
    }

    /** The request being routed may write on every master (a multi-node command): WAIT then asks them all. */
    void wroteEverywhere() {
        written.wroteEverywhere();
    }

    /**
     * A request answered later from several nodes: {@code start} sends its parts for the entry queued in its
     * place; the request ends its journey here once they are built (a rare path: the lambda is affordable).
     */
    PendingReply owe(RedisRequest request, Consumer<PendingReply> start) {
        PendingReply entry = replies.add(null, ClusterCommand.ANY_SLOT, 0);
        entry.measure(measured, arrivalNanos);
        try {
            start.accept(entry);
        } finally {
            request.release();
        }
        pauseIfTooManyPending();
        return entry;
    }

    private void pauseIfTooManyPending() {
        if (replies.size() >= maxPending) {
            pauses.pause(PauseReason.PENDING);
        }
    }

    /** The reply queue handed some replies to the channel: lift the pending-count pause once half drained. */
    void drained() {
        if (pauses.isPaused(PauseReason.PENDING) && replies.size() <= maxPending / 2) {
            pauses.resume(PauseReason.PENDING);
        }
    }

    ReplyQueue replies() {
        return replies;
    }

    ReadPauses pauses() {
        return pauses;
    }

    // ClientPort: what pinned code may do to this client.

    @Override
    public void waitForReplicas(RedisRequest request) {
        boolean everywhere = written.everywhere();
        List<ClusterNode> targets = written.takeAll();
        owe(request, entry -> multiNode.waitForReplicas(request, targets, everywhere, entry, alloc()));
    }

    @Override
    public PendingReply forwardOn(NodeConnection connection, RedisRequest request, int slot) {
        PendingReply entry = replies.add(request.frame(), slot, 0);
        entry.measure(measured, arrivalNanos);
        connection.send(entry);
        pauseIfTooManyPending();
        return entry;
    }

    @Override
    public void forwardShared(RedisRequest request, int slot) {
        forward(request, slot);
    }

    @Override
    public int maxRedirects() {
        return maxRedirects;
    }

    @Override
    public PendingReply enqueue(ByteBuf frame, int slot, int redirects) {
        PendingReply entry = replies.add(frame, slot, redirects);
        entry.measure(measured, arrivalNanos);
        pauseIfTooManyPending();
        return entry;
    }

    @Override
    public void answer(RedisRequest request, ByteBuf reply) {
        try {
            replies.addReady(reply, measured, arrivalNanos);
        } finally {
            request.release();
        }
    }

    @Override
    public void push(ByteBuf frame) {
        replies.addReady(frame);
    }

    @Override
    public void pushMessage(ByteBuf frame) {
        replies.addMessage(frame);
    }

    @Override
    public long unwrittenBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public void closeNow() {
        channel.close(); // the handler's channelInactive cleans up
    }

    @Override
    public void reroute(RedisRequest request) {
        if (handler.isClosing()) {
            request.release();
            return;
        }
        reroute.accept(request);
    }

    @Override
    public void pause(PauseReason reason) {
        pauses.pause(reason);
    }

    @Override
    public void resume(PauseReason reason) {
        pauses.resume(reason);
    }

    @Override
    public LoopRouter router() {
        return router;
    }

    @Override
    public Protocol protocol() {
        return session.protocol();
    }

    @Override
    public long clientId() {
        return session.id();
    }

    @Override
    public String address() {
        return session.addr();
    }

    @Override
    public long pubsubOutputLimit() {
        return context.config().pubsubOutputBuffer();
    }

    @Override
    public void transactionQueued(int queued) {
        session.multi(queued);
    }

    @Override
    public void blocked(boolean blocked) {
        session.blocked(blocked);
    }

    @Override
    public void subscriptions(int channels, int patterns, int shardChannels) {
        session.subscriptions(channels, patterns, shardChannels);
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }
}
