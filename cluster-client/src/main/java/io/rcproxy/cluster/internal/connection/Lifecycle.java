package io.rcproxy.cluster.internal.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.rcproxy.cluster.internal.ClientErrors;
import io.rcproxy.cluster.internal.connection.ConnectionState.Authenticating;
import io.rcproxy.cluster.internal.connection.ConnectionState.Backoff;
import io.rcproxy.cluster.internal.connection.ConnectionState.Closed;
import io.rcproxy.cluster.internal.connection.ConnectionState.Connected;
import io.rcproxy.cluster.internal.connection.ConnectionState.Connecting;
import io.rcproxy.cluster.internal.connection.ConnectionState.Draining;
import io.rcproxy.cluster.internal.connection.ConnectionState.Open;
import io.rcproxy.cluster.topology.ClusterNode;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one backend connection as {@link ConnectionState} moves: dialling, AUTH's verdict, failing,
 * backing off as the {@link ReconnectPolicy} says, draining and closing. {@link #become} is the only place
 * the state changes; writes are flushed from here too, once per loop turn. What happens to the traffic at each step is the connection's business ({@link Steps}):
 * a {@link NodeConnection} fails its FIFO, a {@link PushConnection} releases its queued frames.
 *
 * <p>Thread: the connection's event loop.
 */
final class Lifecycle implements LoopFlusher.Flushable {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    /** What the connection does at each step of its life. */
    interface Steps {
        /** The channel is connected; AUTH goes first when {@code authenticate}, then whatever waited. */
        void onConnected(Wire wire, boolean authenticate);

        /** Fails (or releases) everything in flight or queued; called before the state moves. */
        void failAll(String error);

        /** Down now (backing off or closed). */
        void onDown();

        /** Tells the connection's listener of a loss; called last. */
        void onLost(Throwable cause);
    }

    private final ClusterNode node;
    private final EventLoop loop;
    private final Dialer dialer;
    private final ReconnectPolicy reconnect;
    private final boolean authenticates;
    private final Unreachable unreachable;
    private ChannelOwner owner;
    private Steps steps;
    private ConnectionState state;
    private final LoopFlusher.Slot flushSlot;

    Lifecycle(ClusterNode node, EventLoop loop, LoopFlusher flusher, Dialer dialer, ReconnectPolicy reconnect, boolean authenticates,
              ConnectionState initial) {
        this.node = node;
        this.loop = loop;
        this.flushSlot = flusher.slot(this);
        this.dialer = dialer;
        this.reconnect = reconnect;
        this.authenticates = authenticates;
        this.state = initial;
        this.unreachable = new Unreachable(node);
    }

    /** Binds the connection built on this life; before {@link #open}. */
    void bind(ChannelOwner owner, Steps steps) {
        this.owner = owner;
        this.steps = steps;
    }

    ConnectionState state() {
        return state;
    }

    /** What a command sent while the connection is down is told. */
    String unreachableError() {
        return unreachable.error();
    }

    boolean reconnects() {
        return !(reconnect instanceof ReconnectPolicy.Never);
    }

    /** The only place the state changes; a move the machine does not have is a bug, so it throws. */
    private void become(ConnectionState next) {
        if (!state.allows(next)) {
            throw new IllegalStateException(node + ": no move from " + state + " to " + next);
        }
        state = next;
    }

    /** Flushes what was written at the end of this turn, once however many writes came before. */
    void flushLater() {
        flushSlot.flushLater();
    }

    @Override
    public void flushNow() {
        if (state instanceof Connected connected) {
            connected.wire().writer().flush();
        } // leaving a connected state discarded the writer's batch already
    }

    /** Dials; the outcome arrives as {@link Steps#onConnected} or {@link Steps#onConnectFailed}. */
    void open() {
        ChannelFuture future = dialer.dial(node, owner);
        Wire wire = Wire.of(future.channel());
        become(new Connecting(wire));
        future.addListener(f -> {
            if (!(state instanceof Connecting connecting) || connecting.wire() != wire) {
                return; // closed while connecting
            }
            if (!f.isSuccess()) {
                String why = unreachable.failed(Failures.describe(f.cause()));
                log.debug("connect to {} failed: {}", node, why);
                fail(ClientErrors.unreachable(node, why), f.cause());
                return;
            }
            log.info("connected to {}", node);
            if (authenticates) {
                become(new Authenticating(wire));
            } else {
                reconnect.succeeded(); // with AUTH, only a successful one resets the backoff
                become(new Open(wire));
            }
            steps.onConnected(wire, authenticates);
        });
    }

    /** AUTH's verdict: null (OK) opens the connection; Redis's error fails it like a failed connect. */
    void authenticated(String error) {
        if (error == null) {
            unreachable.authAccepted();
            reconnect.succeeded();
            if (state instanceof Authenticating authenticating) {
                become(new Open(authenticating.wire()));
            } // else draining: it stays so
            return;
        }
        if (unreachable.authRefused(error)) {
            log.error("authentication to {} failed: {}", node, error);
        } else {
            log.debug("authentication to {} failed again: {}", node, error);
        }
        fail(error, null);
    }

    /** A channel closed: a failure if it is the current one (not an earlier one, or one closed on purpose). */
    void onChannelClosed(Channel channel, Throwable cause) {
        Wire wire = wireOf(state);
        if (wire != null && wire.channel() == channel) {
            String why = unreachable.failed(Failures.describe(cause));
            log.info("connection to {} lost: {}", node, why);
            fail(ClientErrors.connectionLost(node, why), cause);
        }
    }

    /** The oldest command waited longer than the timeout: everything fails, and the node is presumed gone. */
    void timedOut(long millis) {
        unreachable.failed("no reply within " + millis + " ms");
        fail(ClientErrors.timedOut(millis, node), null);
    }

    /**
     * The one way down after a failure: everything fails with {@code error}, then the connection backs off
     * or closes as the policy says (a draining one has nothing to come back for), and the listener hears
     * of it last.
     */
    void fail(String error, Throwable cause) {
        steps.failAll(error);
        if (!(state instanceof Closed)) { // a failed command's owner may have closed it meanwhile
            Wire wire = wireOf(state);
            long delay = state instanceof Draining ? -1 : reconnect.nextDelayMillis();
            become(delay < 0 ? new Closed() : new Backoff());
            if (wire != null) {
                wire.shut(); // after the move: a close reported at once finds no wire of ours
            }
            if (delay >= 0) {
                loop.schedule(this::retry, delay, TimeUnit.MILLISECONDS);
            }
            steps.onDown();
        }
        steps.onLost(cause);
    }

    private void retry() {
        if (state instanceof Backoff) {
            open();
        }
    }

    /**
     * Starts draining: the connection closes when its last reply is in, or after {@code deadlineNanos} at
     * the latest. True if draining (already, or from now); false if not connected.
     */
    boolean drain(String reason, long deadlineNanos) {
        if (state instanceof Draining) {
            return true; // the first call's deadline stands
        }
        if (state instanceof Connected connected) {
            become(new Draining(connected.wire(), reason));
            loop.schedule(() -> close(reason), deadlineNanos, TimeUnit.NANOSECONDS);
            return true;
        }
        return false;
    }

    /** Closes for good, failing everything with {@code reason}; false if it was closed already. */
    boolean close(String reason) {
        if (state instanceof Closed) {
            return false;
        }
        Wire wire = wireOf(state);
        become(new Closed());
        steps.failAll(ClientErrors.connectionClosed(node, reason));
        if (wire != null) {
            wire.shut();
        }
        steps.onDown();
        return true;
    }

    /** Gives an open channel away; this life ends, the channel goes on. */
    Wire handOver() {
        Wire wire = ((Open) state).wire();
        become(new Closed());
        return wire;
    }

    private static Wire wireOf(ConnectionState state) {
        if (state instanceof Connected connected) {
            return connected.wire();
        }
        return state instanceof Connecting connecting ? connecting.wire() : null;
    }
}
