package io.rcproxy.cluster.connection;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.rcproxy.cluster.ClusterCommand;
import io.rcproxy.cluster.dispatch.LoopFlusher;
import io.rcproxy.cluster.internal.Backoff;
import io.rcproxy.cluster.internal.ClientErrors;
import io.rcproxy.cluster.topology.ClusterNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to one cluster node, carrying many commands at once. Commands are written in the
 * order they are sent and their replies come back in that order, so a FIFO of in-flight commands is all
 * the matching needed. Writes are flushed once per event-loop turn, not once per command.
 *
 * <p>Thread: confined to its event loop; every method must be called on it. States: CONNECTING queues
 * commands and writes them once connected; ACTIVE writes at once; BACKOFF (after a failure, until the
 * next reconnect attempt) fails commands at once, so a dead node gives prompt errors; CLOSED is final.
 *
 * <p>With {@link ConnectionOptions#authFrame()} set, {@code AUTH} is the first thing written on every new
 * connection; commands queued while connecting follow it in the same flush. A refused {@code AUTH} fails
 * them with Redis's own error ({@code WRONGPASS ...}) and the connection backs off like a failed connect.
 *
 * <p>A <em>dedicated</em> connection ({@link #openDedicated}) belongs to one owner rather than to a
 * {@link NodePool}: it has no command timeout (nothing polices it; a blocking command may wait for as long
 * as it asked to), it never reconnects (a failure closes it and tells the listener, and the owner decides),
 * and it may be put in {@linkplain #pushMode push mode}, where every frame goes to a {@link PushSink}
 * instead of being matched to a command: a subscribed connection's frames are pushes, not replies. An owner
 * done with a dedicated connection may hand it to {@link DedicatedConnections}, which {@linkplain #rebind
 * re-binds} it to its next owner; only a connection with nothing in flight can change hands.
 */
public final class NodeConnection implements LoopFlusher.Flushable {

    private static final Logger log = LoggerFactory.getLogger(NodeConnection.class);

    private static final Backoff RECONNECT = Backoff.RECONNECT;
    /** A timeout check this much later than planned means the loop, not the node, was stalled. */
    private static final long STALL_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Never released: each write takes a duplicate that shares the unreleasable content. */
    private static final ByteBuf ASKING_FRAME = Unpooled.unreleasableBuffer(Unpooled.directBuffer(32)
            .writeBytes("*1\r\n$6\r\nASKING\r\n".getBytes(StandardCharsets.US_ASCII)));

    /** Receives what happens on a connection; implemented by the event loop's router. */
    public interface Listener {
        /** A reply for {@code command}; ownership of {@code reply} passes on. */
        void onReply(NodeConnection connection, ClusterCommand command, ByteBuf reply);

        /** The connection failed or closed unexpectedly; its commands have been failed already. */
        void onConnectionLost(NodeConnection connection, Throwable cause);
    }

    /**
     * Receives every frame of a connection in push mode, in the order Redis sent them. Ownership of
     * {@code frame} passes to the sink.
     */
    public interface PushSink {
        void onPush(NodeConnection connection, ByteBuf frame);
    }

    /** Where a connection is in its life; see the class comment. */
    public enum State { CONNECTING, ACTIVE, BACKOFF, CLOSED }

    private final ClusterNode node;
    private final EventLoop loop;
    private final ConnectionOptions options;
    /** Changes only while nothing is in flight, when a dedicated connection changes owner (see {@link #rebind}). */
    private Listener listener;
    private final long commandTimeoutNanos;
    private final long checkIntervalNanos;
    /** When {@link #expireIfStuck} last ran; 0 before its first run. */
    private long lastCheckNanos;
    private final boolean reconnects;
    private PushSink pushSink;
    /** Push mode: frames written while connecting, sent once connected; this connection owns them. */
    private ArrayDeque<ByteBuf> pendingFrames;
    private final ArrayDeque<ClusterCommand> inFlight = new ArrayDeque<>();
    private final List<Runnable> writabilityWaiters = new ArrayList<>(0);
    private final LoopFlusher flusher;
    private Channel channel;
    private CoalescingWriter writer;
    private State state = State.CLOSED;
    /** Failed attempts since the last success: picks the next pause from {@link #RECONNECT}. */
    private int reconnectAttempts;
    private boolean flushScheduled;
    private String lastFailure = "not connected yet";
    /** Set by {@link #closeWhenDrained}: the reason to close with once nothing is in flight. */
    private String closeWhenDrained;
    /** The error of the last refused AUTH, given as is to commands until an AUTH succeeds; null otherwise. */
    private String authError;

    NodeConnection(ClusterNode node, EventLoop loop, LoopFlusher flusher, ConnectionOptions options,
                   Listener listener) {
        this(node, loop, flusher, options, listener, true);
    }

    private NodeConnection(ClusterNode node, EventLoop loop, LoopFlusher flusher, ConnectionOptions options,
                           Listener listener, boolean reconnects) {
        this.reconnects = reconnects;
        this.flusher = flusher;
        this.node = node;
        this.loop = loop;
        this.options = options;
        this.listener = listener;
        this.commandTimeoutNanos = options.commandTimeout().toNanos();
        this.checkIntervalNanos = TimeUnit.MILLISECONDS.toNanos(timeoutCheckMillis(options.commandTimeout()));
    }

    /**
     * Opens a connection dedicated to one owner (see the class comment), outside any pool. The owner closes
     * it with {@link #close(String)} when done; on failure it closes itself and calls
     * {@link Listener#onConnectionLost}. Call on {@code loop}.
     */
    public static NodeConnection openDedicated(ClusterNode node, EventLoop loop, LoopFlusher flusher,
                                               ConnectionOptions options, Listener listener) {
        NodeConnection connection = new NodeConnection(node, loop, flusher, options, listener, false);
        connection.connect();
        return connection;
    }

    /**
     * Whether a dedicated connection can change owner now: connected, in reply mode, and with no command or
     * frame outstanding, so no reply on its way could reach the wrong owner. Whether Redis holds state for
     * it (MULTI, WATCH) only its owner knows.
     */
    boolean isReusable() {
        return !reconnects && pushSink == null && state == State.ACTIVE && inFlight.isEmpty()
                && (pendingFrames == null || pendingFrames.isEmpty());
    }

    /** Hands a {@linkplain #isReusable reusable} dedicated connection to its next owner. */
    void rebind(Listener next) {
        if (!isReusable()) {
            throw new IllegalStateException("not reusable: " + this);
        }
        this.listener = next;
    }

    /**
     * Puts a dedicated connection in push mode: from now on every frame goes to {@code sink}, and requests
     * are written with {@link #writeFrame}. Call before its owner sends anything on it; a connection in push
     * mode is never reused.
     */
    public void pushMode(PushSink sink) {
        if (reconnects || !inFlight.isEmpty()) {
            throw new IllegalStateException("push mode is for dedicated connections with nothing in flight");
        }
        this.pushSink = sink;
    }

    /**
     * Push mode: writes a request frame, taking ownership of it. Queued while connecting; released and false
     * when the connection is down.
     */
    public boolean writeFrame(ByteBuf frame) {
        switch (state) {
            case ACTIVE -> {
                writer.writeOwned(frame);
                scheduleFlush();
                return true;
            }
            case CONNECTING -> {
                if (pendingFrames == null) {
                    pendingFrames = new ArrayDeque<>(4);
                }
                pendingFrames.add(frame);
                return true;
            }
            default -> {
                frame.release();
                return false;
            }
        }
    }

    public ClusterNode node() {
        return node;
    }

    /** The current state; read on the connection's event loop. */
    public State state() {
        return state;
    }

    public boolean isActive() {
        return state == State.ACTIVE;
    }

    /** Usable means a command sent now is at least queued, rather than failed at once. */
    public boolean isUsable() {
        return state == State.ACTIVE || state == State.CONNECTING;
    }

    /** False while the socket's outbound buffer is above its high-water mark. */
    public boolean isWritable() {
        return state != State.ACTIVE || channel.isWritable();
    }

    /** Runs {@code waiter} once the connection becomes writable again (or closes). */
    public void whenWritable(Runnable waiter) {
        if (isWritable()) {
            waiter.run();
        } else {
            writabilityWaiters.add(waiter);
        }
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    void connect() {
        state = State.CONNECTING;
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(options.transport().socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new BackendChannelInitializer(this, options.limits()));
        ChannelFuture future = bootstrap.connect(node.address().host(), node.address().port());
        channel = future.channel();
        writer = new CoalescingWriter(channel);
        future.addListener(f -> {
            if (f.isSuccess()) {
                onConnected();
            } else {
                onConnectFailed(f.cause());
            }
        });
    }

    /** Sends a command; its reply or failure reaches the listener or the command itself. */
    public void send(ClusterCommand command) {
        switch (state) {
            case ACTIVE -> {
                enqueue(command);
                write(command.frame());
            }
            case CONNECTING -> enqueue(command);
            default -> command.fail(unreachable());
        }
    }

    /**
     * Sends {@code ASKING} and the command back to back, for an ASK redirect. The ASKING reply is
     * swallowed by a marker entry so the command's own reply stays matched to it.
     */
    public void sendAsking(ClusterCommand command) {
        if (state != State.ACTIVE && state != State.CONNECTING) {
            command.fail(unreachable());
            return;
        }
        ControlCommand marker = new ControlCommand(ASKING_FRAME, false);
        enqueue(marker);
        enqueue(command);
        if (state == State.ACTIVE) {
            write(marker.frame());
            write(command.frame());
        }
    }

    private void enqueue(ClusterCommand command) {
        command.markSent(System.nanoTime());
        inFlight.add(command);
    }

    /**
     * Writes without flushing; the loop's flusher flushes once at the end of this turn. The command keeps
     * its frame, so a redirect can send the same bytes again.
     */
    private void write(ByteBuf frame) {
        writer.writeBorrowed(frame);
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            flusher.flushLater(this);
        }
    }

    @Override
    public void flushNow() {
        flushScheduled = false;
        if (state == State.ACTIVE) {
            writer.flush();
        } else {
            writer.discard();
        }
    }

    private void onConnected() {
        if (state != State.CONNECTING) {
            return; // closed while connecting
        }
        state = State.ACTIVE;
        if (options.authFrame() == null) {
            reconnectAttempts = 0; // with AUTH, only a successful one resets the backoff
        }
        log.info("connected to {}", node);
        if (options.authFrame() != null) {
            ControlCommand marker = new ControlCommand(options.authFrame(), true);
            marker.markSent(System.nanoTime());
            inFlight.addFirst(marker); // ahead of the commands queued while connecting
        }
        long now = System.nanoTime();
        for (ClusterCommand command : inFlight) {
            // The timeout measures the node's answer, not our wait to connect: the clock starts at the write.
            command.markSent(now);
            write(command.frame());
        }
        if (pendingFrames != null) {
            ByteBuf frame;
            while ((frame = pendingFrames.poll()) != null) {
                writer.writeOwned(frame);
            }
            scheduleFlush();
        }
    }

    private void onConnectFailed(Throwable cause) {
        if (state != State.CONNECTING) {
            return;
        }
        lastFailure = describe(cause);
        log.debug("connect to {} failed: {}", node, lastFailure);
        failAll(ClientErrors.unreachable(node, lastFailure));
        scheduleReconnect();
        listener.onConnectionLost(this, cause);
    }

    /** Called by the channel handler for each complete reply frame; ownership of {@code reply} passes. */
    void onReplyFrame(ByteBuf reply) {
        if (pushSink != null) {
            pushSink.onPush(this, reply);
            return;
        }
        ClusterCommand command = inFlight.poll();
        if (command == null) {
            reply.release();
            log.warn("reply from {} with no command waiting for it; closing the connection", node);
            channel.close();
            return;
        }
        if (command instanceof ControlCommand control && control.auth) {
            onAuthReply(command, reply);
            return;
        }
        listener.onReply(this, command, reply);
        if (closeWhenDrained != null && inFlight.isEmpty()) {
            close(closeWhenDrained);
        }
    }

    /**
     * Called by the channel handler for a reply it skipped because a large bulk in it did not fit in the
     * buffer budget: the command waiting for it fails with {@code error}; a push is dropped.
     */
    void onReplyRefused(String error) {
        if (pushSink != null) {
            log.warn("dropped a message from {}: {}", node, error);
            return;
        }
        ClusterCommand command = inFlight.poll();
        if (command == null) {
            log.warn("reply from {} with no command waiting for it; closing the connection", node);
            channel.close();
            return;
        }
        command.fail(error);
    }

    /** An OK lets the queued commands run; an error fails them with it and backs off before retrying. */
    private void onAuthReply(ClusterCommand marker, ByteBuf reply) {
        String error = null;
        if (reply.readableBytes() > 3 && reply.getByte(reply.readerIndex()) == '-') {
            // "-WRONGPASS invalid username-password pair ...\r\n" without its dash and line end
            error = reply.toString(reply.readerIndex() + 1, reply.readableBytes() - 3, StandardCharsets.UTF_8);
        }
        marker.complete(reply); // releases the reply
        if (error == null) {
            authError = null;
            reconnectAttempts = 0;
            return;
        }
        if (authError == null) {
            log.error("authentication to {} failed: {}", node, error);
        } else {
            log.debug("authentication to {} failed again: {}", node, error);
        }
        authError = error;
        lastFailure = error;
        failAll(error);
        state = State.BACKOFF;
        channel.close();
        scheduleReconnect();
        listener.onConnectionLost(this, null);
    }

    private String unreachable() {
        return authError != null ? authError : ClientErrors.unreachable(node, lastFailure);
    }

    void onChannelClosed(Channel closed, Throwable cause) {
        if (closed != channel) {
            return; // an earlier channel of this connection, already replaced
        }
        writer.discard();
        if (state == State.CLOSED || state == State.BACKOFF) {
            return;
        }
        lastFailure = cause == null ? "connection closed" : describe(cause);
        log.info("connection to {} lost: {}", node, lastFailure);
        failAll(ClientErrors.connectionLost(node, lastFailure));
        scheduleReconnect();
        listener.onConnectionLost(this, cause);
    }

    void onWritabilityChanged() {
        if (channel.isWritable() && !writabilityWaiters.isEmpty()) {
            List<Runnable> waiters = new ArrayList<>(writabilityWaiters);
            writabilityWaiters.clear();
            waiters.forEach(Runnable::run);
        }
    }

    /**
     * How often a loop checks its connections for stuck commands: a tenth of the timeout, within 10-100 ms.
     * {@link #expireIfStuck} relies on the checks coming this often to tell a stalled loop from a slow node.
     */
    public static long timeoutCheckMillis(Duration commandTimeout) {
        return Math.max(10, Math.min(100, commandTimeout.toMillis() / 10));
    }

    /**
     * Fails everything and reconnects when the oldest command has waited longer than the timeout. Redis
     * answers in order, so once the oldest is stuck everything behind it on this connection is too.
     *
     * <p>Only time the loop was free to read counts. When this check comes much later than
     * {@link #timeoutCheckMillis} after the previous one, the loop itself was stalled (a long request, a GC
     * pause, CPU starvation) and the replies may be sitting unread in the socket: the stall is credited to
     * the commands in flight, and the loop gets to read before the next check decides. Call it with a
     * fixed delay between checks, so a late check is followed by a read, not by a burst of catch-up checks.
     */
    public void expireIfStuck(long nowNanos) {
        long lastCheck = lastCheckNanos;
        lastCheckNanos = nowNanos;
        long stall = nowNanos - lastCheck - checkIntervalNanos;
        if (lastCheck != 0 && stall > STALL_SLACK_NANOS) {
            creditStall(nowNanos, stall);
            return;
        }
        ClusterCommand oldest = inFlight.peek();
        if (oldest == null || nowNanos - oldest.sentAtNanos() < commandTimeoutNanos) {
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(commandTimeoutNanos);
        lastFailure = "no reply within " + millis + " ms";
        log.warn("node {} did not answer within {} ms; failing {} commands and reconnecting", node, millis,
                inFlight.size());
        failAll(ClientErrors.timedOut(millis, node));
        State previous = state;
        state = State.BACKOFF;
        if (channel != null) {
            writer.discard();
            channel.close();
        }
        if (previous != State.BACKOFF) {
            scheduleReconnect();
        }
        listener.onConnectionLost(this, null);
    }

    /**
     * Closes for good once the commands in flight have their replies, or after the command timeout at the
     * latest (then failing what is left). Used for a node that stopped owning slots: the replies to what
     * was sent before are MOVED redirects that must still reach their commands. Nothing new should be
     * sent meanwhile; the pool is no longer reachable by routing.
     */
    public void closeWhenDrained(String reason) {
        if (inFlight.isEmpty() || state != State.ACTIVE) {
            close(reason);
            return;
        }
        closeWhenDrained = reason;
        loop.schedule(() -> close(reason), commandTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void creditStall(long nowNanos, long stallNanos) {
        if (inFlight.isEmpty()) {
            return;
        }
        log.debug("event loop stalled for {} ms; not counted against {} commands waiting for {}",
                TimeUnit.NANOSECONDS.toMillis(stallNanos), inFlight.size(), node);
        for (ClusterCommand command : inFlight) {
            command.markSent(Math.min(nowNanos, command.sentAtNanos() + stallNanos));
        }
    }

    /** Closes for good, failing whatever is in flight. */
    public void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        failAll(ClientErrors.connectionClosed(node, reason));
        releasePendingFrames();
        if (channel != null) {
            writer.discard();
            channel.close();
        }
        runWritabilityWaiters();
    }

    private void scheduleReconnect() {
        if (!reconnects) {
            state = State.CLOSED;
            releasePendingFrames();
            if (channel != null) {
                channel.close();
            }
            runWritabilityWaiters();
            return;
        }
        state = State.BACKOFF;
        runWritabilityWaiters();
        long delay = RECONNECT.delayMillis(reconnectAttempts++);
        loop.schedule(() -> {
            if (state == State.BACKOFF) {
                connect();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void releasePendingFrames() {
        if (pendingFrames != null) {
            ByteBuf frame;
            while ((frame = pendingFrames.poll()) != null) {
                frame.release();
            }
        }
    }

    private void runWritabilityWaiters() {
        if (!writabilityWaiters.isEmpty()) {
            List<Runnable> waiters = new ArrayList<>(writabilityWaiters);
            writabilityWaiters.clear();
            waiters.forEach(Runnable::run);
        }
    }

    private void failAll(String message) {
        ClusterCommand command;
        while ((command = inFlight.poll()) != null) {
            command.fail(message);
        }
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "connection closed";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    @Override
    public String toString() {
        return "NodeConnection{" + node + ", " + state + ", inFlight=" + inFlight.size() + "}";
    }

    /**
     * A command the connection sends for itself, ASKING or AUTH, whose reply is swallowed once looked at
     * (AUTH's by {@link #onAuthReply}). Its frame is a duplicate of a shared constant: writing moves the
     * reader index, and the constant must not move.
     */
    private static final class ControlCommand extends ClusterCommand {
        private final boolean auth;

        ControlCommand(ByteBuf sharedFrame, boolean auth) {
            super(sharedFrame.duplicate(), ClusterCommand.ANY_SLOT, 0);
            this.auth = auth;
        }

        @Override
        protected void onReply(ByteBuf reply) {
            reply.release();
        }

        @Override
        protected void onError(String message) {
            // the commands behind it report the failure
        }
    }
}
