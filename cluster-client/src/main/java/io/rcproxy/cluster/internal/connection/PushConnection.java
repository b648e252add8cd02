package io.rcproxy.cluster.internal.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.rcproxy.cluster.internal.connection.ConnectionState.Authenticating;
import io.rcproxy.cluster.internal.connection.ConnectionState.Connected;
import io.rcproxy.cluster.internal.connection.ConnectionState.Connecting;
import io.rcproxy.cluster.internal.connection.ConnectionState.Open;
import io.rcproxy.cluster.topology.ClusterNode;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dedicated connection carrying subscriptions: every frame Redis sends is a push (a message, or a
 * confirmation of a (un)subscribe) and goes to the {@link Listener} in the order it came; nothing is
 * matched to a request, so the owner pairs confirmations with its requests itself. Requests are written
 * as frames ({@link #writeFrame}). It never reconnects: on failure it closes and tells the listener.
 *
 * <p>Its life is a {@link Lifecycle} like a node connection's. With {@link ConnectionOptions#authFrame()}
 * set, AUTH (or, on a RESP3 connection, HELLO 3) goes first and its reply is read here, not pushed; a
 * refused one closes the connection. On a RESP3 connection every message and confirmation is a {@code >}
 * push frame, the bytes a RESP3 subscriber expects.
 *
 * <p>Thread: confined to its event loop. Ownership: a frame written passes to the connection, which
 * writes or releases it; each frame received passes to the listener.
 */
public final class PushConnection {

    private static final Logger log = LoggerFactory.getLogger(PushConnection.class);

    /** Receives the frames and the loss of a push connection. */
    public interface Listener {
        /** A frame, in the order Redis sent it; ownership passes to the listener. */
        void onPush(PushConnection connection, ByteBuf frame);

        /** The connection failed or closed unexpectedly; it will not reconnect. */
        void onConnectionLost(PushConnection connection, Throwable cause);
    }

    private final ClusterNode node;
    private final ByteBuf authFrame;
    private final Listener listener;
    private final Lifecycle life;
    /** Frames written while connecting, sent once connected; this connection owns them. */
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>(4);
    private final Events events = new Events();

    private PushConnection(ClusterNode node, ByteBuf authFrame, Listener listener,
                           Lifecycle life) {
        this.node = node;
        this.authFrame = authFrame;
        this.listener = listener;
        this.life = life;
        life.bind(events, events);
    }

    /** A new push connection to {@code node}, connecting; call on {@code loop}. */
    static PushConnection open(ClusterNode node, EventLoop loop, LoopFlusher flusher, ConnectionOptions options,
                               Listener listener) {
        return open(node, loop, flusher, options.authFrame(), Dialer.tcp(loop, options), listener);
    }

    static PushConnection open(ClusterNode node, EventLoop loop, LoopFlusher flusher, ByteBuf authFrame,
                               Dialer dialer, Listener listener) {
        Lifecycle life = new Lifecycle(node, loop, flusher, dialer, ReconnectPolicy.never(), authFrame != null,
                new ConnectionState.Unopened());
        PushConnection connection = new PushConnection(node, authFrame, listener, life);
        life.open();
        return connection;
    }

    /** Takes over the open, authenticated channel of an idle dedicated connection. */
    static PushConnection adopt(NodeConnection idle, EventLoop loop, LoopFlusher flusher, Listener listener) {
        Wire wire = idle.handOver();
        Lifecycle life = new Lifecycle(idle.node(), loop, flusher, null, ReconnectPolicy.never(), false, new Open(wire));
        PushConnection connection = new PushConnection(idle.node(), null, listener, life);
        wire.handOver(connection.events);
        return connection;
    }

    public ClusterNode node() {
        return node;
    }

    public NodeConnection.State state() {
        return life.state().reported();
    }

    /** Writes a request frame, taking ownership of it. Queued while connecting; released and false when down. */
    public boolean writeFrame(ByteBuf frame) {
        ConnectionState now = life.state();
        if (now instanceof Connected connected) {
            connected.wire().writer().writeOwned(frame);
            life.flushLater();
            return true;
        }
        if (now instanceof Connecting) {
            pending.add(frame);
            return true;
        }
        frame.release();
        return false;
    }

    /** Closes for good; what was queued is released. The listener is not told: the caller knows. */
    public void close(String reason) {
        if (life.close(reason)) {
            log.debug("closed push connection to {}: {}", node, reason);
        }
    }

    @Override
    public String toString() {
        return "PushConnection{" + node + ", " + life.state() + "}";
    }

    /** What the channel and the lifecycle report, kept off the public surface. */
    private final class Events implements ChannelOwner, Lifecycle.Steps {

        @Override
        public void onConnected(Wire wire, boolean authenticate) {
            if (authenticate) {
                wire.writer().writeBorrowed(authFrame); // the options own the shared frame
            }
            ByteBuf frame;
            while ((frame = pending.poll()) != null) {
                wire.writer().writeOwned(frame);
            }
            life.flushLater();
        }

        @Override
        public void onFrame(ByteBuf frame) {
            ConnectionState now = life.state();
            if (now instanceof Open) {
                listener.onPush(PushConnection.this, frame);
            } else if (now instanceof Authenticating) {
                String error = ControlCommand.refusal(frame);
                frame.release();
                life.authenticated(error);
            } else {
                frame.release(); // left in the socket when this connection went down
            }
        }

        @Override
        public void onFrameRefused(String error) {
            log.warn("dropped a message from {}: {}", node, error);
        }

        @Override
        public void onChannelClosed(Channel channel, Throwable cause) {
            life.onChannelClosed(channel, cause);
        }

        @Override
        public void onWritabilityChanged() {
            // Subscribers write a few small requests; nothing waits for writability.
        }

        @Override
        public void failAll(String error) {
            ByteBuf frame;
            while ((frame = pending.poll()) != null) {
                frame.release();
            }
        }

        @Override
        public void onDown() {
        }

        @Override
        public void onLost(Throwable cause) {
            listener.onConnectionLost(PushConnection.this, cause);
        }
    }
}
