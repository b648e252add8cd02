package io.rcproxy.cluster.internal.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.internal.Backoff;
import io.rcproxy.cluster.internal.ClientErrors;
import io.rcproxy.cluster.internal.connection.ConnectionState.Connected;
import io.rcproxy.cluster.internal.connection.ConnectionState.Connecting;
import io.rcproxy.cluster.internal.connection.ConnectionState.Draining;
import io.rcproxy.cluster.internal.connection.ConnectionState.Open;
import io.rcproxy.cluster.topology.ClusterNode;
import java.time.Duration;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to one cluster node, carrying many commands at once. Commands are written in the
 * order they are sent and their replies come back in that order, so a FIFO of in-flight commands is all
 * the matching needed. Writes are flushed once per event-loop turn, not once per command. Its life (see
 * {@link ConnectionState}) is run by a {@link Lifecycle}.
 *
 * <p>With {@link ConnectionOptions#authFrame()} set, {@code AUTH} is the first thing written on every new
 * connection, ahead of the commands queued while connecting; a refused {@code AUTH} fails them with Redis's
 * own error ({@code WRONGPASS ...}) and the connection fails like a failed connect. A RESP3 connection
 * ({@link ConnectionOptions#forResp3}) starts the same way with {@code HELLO 3}. A push frame is never
 * matched to a command: it is dropped and the listener told ({@link Listener#onPushDropped}). A connection to a
 * replica serving reads ({@link ConnectionOptions#forReplicas}) sends {@code READONLY} right after that.
 *
 * <p>A <em>pooled</em> connection ({@link NodePool}) reconnects with {@link io.rcproxy.cluster.internal.Backoff#RECONNECT} and its pool
 * times its commands out. A <em>dedicated</em> one ({@link DedicatedConnections}) has one owner, no timeout (a
 * blocking command may wait as long as it asked to) and never reconnects: the owner decides. An idle
 * dedicated connection can be {@linkplain #rebind re-bound} to a next owner or {@linkplain #handOver handed
 * over} to a {@link PushConnection}.
 *
 * <p>Thread: confined to its event loop; every method must be called on it. Ownership: a command keeps its
 * frame (a redirect may send it again); each reply passes to the listener.
 */
public final class NodeConnection {

    private static final Logger log = LoggerFactory.getLogger(NodeConnection.class);

    /** Receives what happens on a connection; implemented by the event loop's router and by owners. */
    public interface Listener {
        /** A reply for {@code command}; ownership of {@code reply} passes on. */
        void onReply(NodeConnection connection, ClusterCommand command, ByteBuf reply);

        /** The connection failed or closed unexpectedly; its commands have been failed already. */
        void onConnectionLost(NodeConnection connection, Throwable cause);

        /**
         * A command still waiting for its reply on a connection that failed: true if the listener sent it
         * elsewhere (a read a replica never answered, which its master can serve), false to fail it.
         */
        default boolean resend(NodeConnection connection, ClusterCommand command) {
            return false;
        }

        /** A push frame arrived, which answers no command; it was dropped (and released). */
        default void onPushDropped(NodeConnection connection) {
        }
    }

    /** What metrics and readiness count; see {@link ConnectionState#reported}. */
    public enum State { CONNECTING, ACTIVE, BACKOFF, CLOSED }

    private final ClusterNode node;
    private final ByteBuf authFrame;
    private final boolean readOnly;
    private final boolean resp3;
    private final Lifecycle life;
    private final TimeoutCheck timeouts;
    /** Changes only while nothing is in flight, when a dedicated connection changes owner. */
    private Listener listener;
    private final ArrayDeque<ClusterCommand> inFlight = new ArrayDeque<>();
    private final WritabilityWaiters writabilityWaiters = new WritabilityWaiters();
    private final Events events = new Events();

    NodeConnection(ClusterNode node, EventLoop loop, LoopFlusher flusher, ConnectionOptions options, Dialer dialer,
                   ReconnectPolicy reconnect, Listener listener) {
        this.node = node;
        this.authFrame = options.authFrame();
        this.readOnly = options.readOnly();
        this.resp3 = options.speaksResp3();
        this.life = new Lifecycle(node, loop, flusher, dialer, reconnect, authFrame != null,
                new ConnectionState.Unopened());
        this.timeouts = new TimeoutCheck(options.commandTimeout());
        this.listener = listener;
        life.bind(events, events);
    }

    /** Opens a connection, pooled or dedicated as {@code reconnect} says; call on {@code loop}. */
    static NodeConnection open(ClusterNode node, EventLoop loop, LoopFlusher flusher, ConnectionOptions options,
                               ReconnectPolicy reconnect, Listener listener) {
        NodeConnection connection = new NodeConnection(node, loop, flusher, options, Dialer.tcp(loop, options),
                reconnect, listener);
        connection.connect();
        return connection;
    }

    void connect() {
        life.open();
    }

    /**
     * Whether a dedicated connection can change owner now: open, with no command outstanding, so no reply on
     * its way could reach the wrong owner. Whether Redis holds state for it (MULTI, WATCH) only its owner knows.
     */
    boolean isReusable() {
        return !life.reconnects() && life.state() instanceof Open && inFlight.isEmpty();
    }

    /** Hands a {@linkplain #isReusable reusable} dedicated connection to its next owner. */
    void rebind(Listener next) {
        requireReusable();
        this.listener = next;
    }

    /** Gives a reusable connection's channel away (to a {@link PushConnection}); this one is closed, the channel not. */
    Wire handOver() {
        requireReusable();
        return life.handOver();
    }

    private void requireReusable() {
        if (!isReusable()) {
            throw new IllegalStateException("not reusable: " + this);
        }
    }

    public ClusterNode node() {
        return node;
    }

    /** Whether this connection reads from a replica (it started with {@code READONLY}). */
    public boolean readsReplica() {
        return readOnly;
    }

    /** Whether this connection speaks RESP3 (it started with {@code HELLO 3}). */
    public boolean speaksResp3() {
        return resp3;
    }

    public State state() {
        return life.state().reported();
    }

    public boolean isActive() {
        return state() == State.ACTIVE;
    }

    /** Usable means a command sent now is at least queued, rather than failed at once. */
    public boolean isUsable() {
        return life.state() instanceof Connected || life.state() instanceof Connecting;
    }

    /** False while the socket's outbound buffer is above its high-water mark. */
    public boolean isWritable() {
        return !(life.state() instanceof Connected connected) || connected.wire().channel().isWritable();
    }

    /** Runs {@code waiter} once the connection becomes writable again (or goes down). */
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

    /** Sends a command; its reply or failure reaches the listener or the command itself. */
    public void send(ClusterCommand command) {
        ConnectionState now = life.state();
        if (now instanceof Connected connected) {
            enqueue(command);
            write(connected.wire(), command.frame());
        } else if (now instanceof Connecting) {
            enqueue(command);
        } else {
            command.fail(life.unreachableError());
        }
    }

    /** Sends {@code ASKING} and the command back to back, for an ASK redirect; ASKING's reply is swallowed. */
    public void sendAsking(ClusterCommand command) {
        if (!isUsable()) {
            command.fail(life.unreachableError());
            return;
        }
        ControlCommand marker = ControlCommand.asking();
        enqueue(marker);
        enqueue(command);
        if (life.state() instanceof Connected connected) {
            write(connected.wire(), marker.frame());
            write(connected.wire(), command.frame());
        }
    }

    private void enqueue(ClusterCommand command) {
        command.markSent(System.nanoTime());
        inFlight.add(command);
    }

    /** Writes without flushing; the loop's flusher flushes once at the end of this turn. */
    private void write(Wire wire, ByteBuf frame) {
        wire.writer().writeBorrowed(frame);
        life.flushLater();
    }

    /** How often a loop checks its connections for stuck commands; see {@link TimeoutCheck}. */
    public static long timeoutCheckMillis(Duration commandTimeout) {
        return TimeoutCheck.intervalMillis(commandTimeout);
    }

    /** Fails everything and reconnects when the oldest command has waited too long; see {@link TimeoutCheck}. */
    public void expireIfStuck(long nowNanos) {
        if (timeouts.isStuck(inFlight, nowNanos)) {
            long millis = timeouts.timeoutMillis();
            log.warn("node {} did not answer within {} ms; failing {} commands and reconnecting", node, millis,
                    inFlight.size());
            life.timedOut(millis);
        }
    }

    /**
     * Closes for good once the commands in flight have their replies, or after the command timeout at the
     * latest (then failing what is left). Used for a node that stopped owning slots: the replies to what
     * was sent before are MOVED redirects that must still reach their commands.
     */
    public void closeWhenDrained(String reason) {
        if (inFlight.isEmpty() || !life.drain(reason, timeouts.timeoutNanos())) {
            close(reason);
        }
    }

    /** Closes for good, failing whatever is in flight. */
    public void close(String reason) {
        life.close(reason);
    }

    Events events() {
        return events;
    }

    @Override
    public String toString() {
        return "NodeConnection{" + node + ", " + life.state() + ", inFlight=" + inFlight.size() + "}";
    }

    /**
     * What the channel and the lifecycle report, kept off the public surface. Package-visible through
     * {@link #events()} for tests.
     */
    final class Events implements ChannelOwner, Lifecycle.Steps {

        @Override
        public void onConnected(Wire wire, boolean authenticate) {
            if (readOnly) {
                inFlight.addFirst(ControlCommand.readOnly()); // a replica then serves reads of its master's slots
            }
            if (authenticate) {
                inFlight.addFirst(ControlCommand.auth(authFrame)); // ahead of the commands queued meanwhile
            }
            long now = System.nanoTime();
            for (ClusterCommand command : inFlight) {
                // The timeout measures the node's answer, not our wait to connect: the clock starts at the write.
                command.markSent(now);
                write(wire, command.frame());
            }
        }

        @Override
        public void onFrame(ByteBuf reply) {
            if (reply.getByte(reply.readerIndex()) == '>') {
                // A RESP3 push is no reply: matching it would shift every reply after it onto the wrong command.
                reply.release();
                listener.onPushDropped(NodeConnection.this);
                return;
            }
            ClusterCommand command = inFlight.poll();
            if (command == null) {
                reply.release();
                closeStrayed();
                return;
            }
            if (command instanceof ControlCommand control && control.isAuth()) {
                String error = ControlCommand.refusal(reply);
                control.complete(reply); // releases the reply
                life.authenticated(error);
                return;
            }
            listener.onReply(NodeConnection.this, command, reply);
            if (life.state() instanceof Draining draining && inFlight.isEmpty()) {
                close(draining.reason());
            }
        }

        @Override
        public void onFrameRefused(String error) {
            ClusterCommand command = inFlight.poll();
            if (command == null) {
                closeStrayed();
                return;
            }
            command.fail(error);
        }

        private void closeStrayed() {
            log.warn("reply from {} with no command waiting for it; closing the connection", node);
            if (life.state() instanceof Connected connected) {
                connected.wire().channel().close();
            }
        }

        @Override
        public void onChannelClosed(Channel closed, Throwable cause) {
            life.onChannelClosed(closed, cause);
        }

        @Override
        public void onWritabilityChanged() {
            if (life.state() instanceof Connected connected && connected.wire().channel().isWritable()) {
                writabilityWaiters.runAll();
            }
        }

        @Override
        public void failAll(String error) {
            ClusterCommand command;
            while ((command = inFlight.poll()) != null) {
                if (command.finished() || !listener.resend(NodeConnection.this, command)) {
                    command.fail(error);
                }
            }
        }

        @Override
        public void onDown() {
            writabilityWaiters.runAll();
        }

        @Override
        public void onLost(Throwable cause) {
            listener.onConnectionLost(NodeConnection.this, cause);
        }
    }
}
