package io.rcproxy.cluster.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.rcproxy.cluster.internal.connection.ConnectionState.Authenticating;
import io.rcproxy.cluster.internal.connection.ConnectionState.Backoff;
import io.rcproxy.cluster.internal.connection.ConnectionState.Closed;
import io.rcproxy.cluster.internal.connection.ConnectionState.Connecting;
import io.rcproxy.cluster.internal.connection.ConnectionState.Draining;
import io.rcproxy.cluster.internal.connection.ConnectionState.Open;
import io.rcproxy.cluster.internal.connection.ConnectionState.Unopened;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionStateTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Wire wire = Wire.of(channel);
    private final ConnectionState unopened = new Unopened();
    private final ConnectionState connecting = new Connecting(wire);
    private final ConnectionState authenticating = new Authenticating(wire);
    private final ConnectionState open = new Open(wire);
    private final ConnectionState draining = new Draining(wire, "node left");
    private final ConnectionState backoff = new Backoff();
    private final ConnectionState closed = new Closed();
    private final List<ConnectionState> all =
            List.of(unopened, connecting, authenticating, open, draining, backoff, closed);

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    private void assertMoves(ConnectionState from, ConnectionState... allowed) {
        List<ConnectionState> expected = List.of(allowed);
        for (ConnectionState next : all) {
            assertEquals(expected.contains(next), from.allows(next), from + " -> " + next);
        }
    }

    @Test
    void theMachineHasExactlyTheseMoves() {
        assertMoves(unopened, connecting, closed);
        assertMoves(connecting, authenticating, open, backoff, closed);
        assertMoves(authenticating, open, draining, backoff, closed);
        assertMoves(open, draining, backoff, closed);
        assertMoves(draining, closed);
        assertMoves(backoff, connecting, closed);
        assertMoves(closed);
    }

    @Test
    void closedIsFinalAndEveryOtherStateCanClose() {
        for (ConnectionState state : all) {
            assertFalse(closed.allows(state));
            if (state != closed) {
                assertTrue(state.allows(closed), state + " can close");
            }
        }
    }

    @Test
    void metricsSeeTheFourCoarseStates() {
        assertEquals(NodeConnection.State.CLOSED, unopened.reported());
        assertEquals(NodeConnection.State.CONNECTING, connecting.reported());
        assertEquals(NodeConnection.State.ACTIVE, authenticating.reported());
        assertEquals(NodeConnection.State.ACTIVE, open.reported());
        assertEquals(NodeConnection.State.ACTIVE, draining.reported());
        assertEquals(NodeConnection.State.BACKOFF, backoff.reported());
        assertEquals(NodeConnection.State.CLOSED, closed.reported());
    }
}
