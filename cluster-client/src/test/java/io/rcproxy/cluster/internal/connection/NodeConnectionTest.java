package io.rcproxy.cluster.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.internal.Backoff;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node connection against an in-memory node ({@link EmbeddedNode}): FIFO matching, split and pipelined
 * replies, loss, timeout, draining, AUTH, ASKING and the reconnect schedule, all on the test thread.
 */
class NodeConnectionTest {

    private final EmbeddedNode redis = new EmbeddedNode();
    private final Owner owner = new Owner();

    @AfterEach
    void finish() {
        redis.finish();
    }

    private NodeConnection pooled() {
        return open(ReconnectPolicy.after(Backoff.RECONNECT), null);
    }

    private NodeConnection open(ReconnectPolicy policy, ByteBuf authFrame) {
        NodeConnection connection = new NodeConnection(EmbeddedNode.NODE, redis.loop(), redis.flusher,
                redis.options(authFrame), redis.dialer, policy, owner);
        connection.connect();
        return connection;
    }

    private static TextCommand send(NodeConnection connection, String... args) {
        TextCommand command = new TextCommand(args);
        connection.send(command);
        return command;
    }

    @Test
    void pipelinedRepliesMatchTheirCommandsInOrder() {
        NodeConnection connection = pooled();
        TextCommand a = send(connection, "GET", "a");
        TextCommand b = send(connection, "GET", "b");
        TextCommand c = send(connection, "GET", "c");
        redis.endTurn();
        assertEquals("*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n*2\r\n$3\r\nGET\r\n$1\r\nc\r\n",
                redis.written(), "one flush for the turn, in send order");
        redis.answer("$1\r\nA\r\n$1\r\nB\r\n:3\r\n");
        assertEquals("$1\r\nA\r\n", a.reply);
        assertEquals("$1\r\nB\r\n", b.reply);
        assertEquals(":3\r\n", c.reply);
        assertEquals(0, connection.inFlightCount());
    }

    @Test
    void aReplySplitAcrossReadsCompletesOnlyWhenWhole() {
        NodeConnection connection = pooled();
        TextCommand a = send(connection, "GET", "a");
        TextCommand b = send(connection, "PING");
        redis.answerByteByByte("*2\r\n$1\r\nx\r\n$2\r\nyz\r\n");
        assertEquals("*2\r\n$1\r\nx\r\n$2\r\nyz\r\n", a.reply);
        assertNull(b.reply, "the second command waits for its own reply");
        redis.answerByteByByte("+PONG\r\n");
        assertEquals("+PONG\r\n", b.reply);
    }

    @Test
    void commandsSentWhileConnectingAreWrittenOnceConnected() {
        redis.slow = true;
        NodeConnection connection = pooled();
        assertEquals(NodeConnection.State.CONNECTING, connection.state());
        assertTrue(connection.isUsable());
        TextCommand a = send(connection, "PING");
        redis.endTurn();
        assertEquals("", redis.written());
        redis.finishConnect();
        redis.endTurn();
        assertEquals("*1\r\n$4\r\nPING\r\n", redis.written());
        redis.answer("+PONG\r\n");
        assertEquals("+PONG\r\n", a.reply);
    }

    @Test
    void aLostConnectionFailsItsCommandsAtOnceAndBacksOff() {
        NodeConnection connection = pooled();
        TextCommand a = send(connection, "GET", "a");
        TextCommand b = send(connection, "GET", "b");
        redis.channel().close();
        assertTrue(a.error.startsWith("ERR connection to node 127.0.0.1:7000 lost"), a.error);
        assertTrue(b.error.startsWith("ERR connection to node 127.0.0.1:7000 lost"), b.error);
        assertEquals(1, owner.lost);
        assertEquals(NodeConnection.State.BACKOFF, connection.state());
        TextCommand late = send(connection, "PING");
        assertTrue(late.error.startsWith("ERR node 127.0.0.1:7000 is unreachable"), late.error);
    }

    @Test
    void reconnectsOnTheScheduleOfTheBackoffPolicy() {
        redis.refusing = true;
        NodeConnection connection = pooled();
        assertEquals(1, redis.dials());
        for (int attempt = 0; attempt < 8; attempt++) {
            long pause = Backoff.RECONNECT.delayMillis(attempt);
            redis.advance(pause - 1);
            assertEquals(attempt + 1, redis.dials(), "not before " + pause + " ms");
            redis.advance(1);
            assertEquals(attempt + 2, redis.dials(), "attempt " + (attempt + 2) + " after " + pause + " ms");
        }
        redis.refusing = false;
        redis.advance(Backoff.RECONNECT.maxMillis());
        assertEquals(NodeConnection.State.ACTIVE, connection.state());
        redis.channel().close();
        redis.advance(Backoff.RECONNECT.firstMillis());
        assertEquals(NodeConnection.State.ACTIVE, connection.state(), "a success starts the backoff again");
    }

    @Test
    void aDedicatedConnectionClosesInsteadOfReconnecting() {
        NodeConnection connection = open(ReconnectPolicy.never(), null);
        TextCommand blocked = send(connection, "BLPOP", "q", "0");
        redis.channel().close();
        assertTrue(blocked.error.startsWith("ERR connection to node"), blocked.error);
        assertEquals(NodeConnection.State.CLOSED, connection.state());
        assertEquals(1, owner.lost);
        redis.advance(Backoff.RECONNECT.maxMillis());
        assertEquals(1, redis.dials());
    }

    @Test
    void drainingClosesAfterTheLastReplyInFlight() {
        NodeConnection connection = pooled();
        TextCommand a = send(connection, "GET", "a");
        TextCommand b = send(connection, "GET", "b");
        connection.closeWhenDrained("node left");
        redis.answer("-MOVED 1 127.0.0.1:7001\r\n");
        assertEquals("-MOVED 1 127.0.0.1:7001\r\n", a.reply);
        assertEquals(NodeConnection.State.ACTIVE, connection.state(), "one reply still to come");
        redis.answer("-MOVED 2 127.0.0.1:7001\r\n");
        assertEquals("-MOVED 2 127.0.0.1:7001\r\n", b.reply);
        assertEquals(NodeConnection.State.CLOSED, connection.state());
        assertFalse(redis.channel().isOpen());
        assertEquals(0, owner.lost, "closing on purpose is no loss");
    }

    @Test
    void drainingGivesUpAtTheCommandTimeout() {
        NodeConnection connection = pooled();
        TextCommand a = send(connection, "GET", "a");
        connection.closeWhenDrained("node left");
        redis.advance(EmbeddedNode.TIMEOUT.toMillis());
        assertEquals("ERR connection to node 127.0.0.1:7000 closed: node left", a.error);
        assertEquals(NodeConnection.State.CLOSED, connection.state());
    }

    @Test
    void aConnectionWithNothingInFlightClosesAtOnceWhenDrained() {
        NodeConnection connection = pooled();
        connection.closeWhenDrained("node left");
        assertEquals(NodeConnection.State.CLOSED, connection.state());
    }

    @Test
    void aStuckCommandFailsEverythingInFlightAndReconnects() {
        NodeConnection connection = pooled();
        TextCommand a = send(connection, "GET", "a");
        TextCommand b = send(connection, "GET", "b");
        long late = System.nanoTime() + EmbeddedNode.TIMEOUT.toNanos() + TimeUnit.MILLISECONDS.toNanos(10);
        connection.expireIfStuck(late);
        assertEquals("ERR command timed out after 500 ms waiting for node 127.0.0.1:7000", a.error);
        assertEquals(a.error, b.error);
        assertEquals(NodeConnection.State.BACKOFF, connection.state());
        assertEquals(1, owner.lost);
        redis.advance(Backoff.RECONNECT.firstMillis());
        assertEquals(2, redis.dials());
        assertEquals(NodeConnection.State.ACTIVE, connection.state());
    }

    @Test
    void aCommandWithinItsTimeoutIsLeftAlone() {
        NodeConnection connection = pooled();
        TextCommand a = send(connection, "GET", "a");
        connection.expireIfStuck(System.nanoTime());
        assertNull(a.error);
        assertEquals(NodeConnection.State.ACTIVE, connection.state());
    }

    @Test
    void authGoesFirstAndARefusalFailsTheQueueWithRedisError() {
        redis.slow = true;
        ByteBuf auth = ConnectionOptions.authFrame(null, "secret");
        NodeConnection connection = open(ReconnectPolicy.after(Backoff.RECONNECT), auth);
        TextCommand a = send(connection, "GET", "a");
        redis.finishConnect();
        redis.endTurn();
        assertEquals("*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n", redis.written());
        assertEquals(2, connection.inFlightCount(), "AUTH waits in the FIFO ahead of the command");
        redis.answer("-WRONGPASS invalid username-password pair\r\n");
        assertEquals("WRONGPASS invalid username-password pair", a.error);
        assertEquals(NodeConnection.State.BACKOFF, connection.state());
        assertEquals("WRONGPASS invalid username-password pair", send(connection, "PING").error);
    }

    @Test
    void anAcceptedAuthIsSwallowed() {
        ByteBuf auth = ConnectionOptions.authFrame("user", "secret");
        NodeConnection connection = open(ReconnectPolicy.after(Backoff.RECONNECT), auth);
        TextCommand a = send(connection, "PING");
        redis.answer("+OK\r\n+PONG\r\n");
        assertEquals("+PONG\r\n", a.reply);
        assertEquals(List.of("+PONG\r\n"), owner.replies);
    }

    @Test
    void askingGoesJustAheadOfTheCommandAndItsReplyIsSwallowed() {
        NodeConnection connection = pooled();
        TextCommand a = new TextCommand("GET", "a");
        connection.sendAsking(a);
        redis.endTurn();
        assertEquals("*1\r\n$6\r\nASKING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n", redis.written());
        redis.answer("+OK\r\n$1\r\nA\r\n");
        assertEquals("$1\r\nA\r\n", a.reply);
    }

    @Test
    void aRefusedReplyFailsOnlyItsCommand() {
        NodeConnection connection = pooled();
        TextCommand big = send(connection, "GET", "big");
        TextCommand next = send(connection, "GET", "small");
        connection.events().onFrameRefused("ERR reply too large"); // as the handler does past the budget
        redis.answer("$1\r\nx\r\n");
        assertEquals("ERR reply too large", big.error);
        assertEquals("$1\r\nx\r\n", next.reply);
    }

    @Test
    void aReplyNobodyWaitsForClosesTheConnection() {
        NodeConnection connection = pooled();
        redis.answer("+SURPRISE\r\n");
        assertFalse(redis.channel().isOpen());
        assertEquals(NodeConnection.State.BACKOFF, connection.state());
    }

    @Test
    void closingFailsWhatIsInFlightAndIsFinal() {
        NodeConnection connection = pooled();
        TextCommand a = send(connection, "GET", "a");
        connection.close("bye");
        assertEquals("ERR connection to node 127.0.0.1:7000 closed: bye", a.error);
        assertEquals(NodeConnection.State.CLOSED, connection.state());
        redis.advance(Backoff.RECONNECT.maxMillis());
        assertEquals(1, redis.dials());
        assertEquals(0, owner.lost);
    }

    @Test
    void onlyAnOpenIdleDedicatedConnectionCanChangeHands() {
        NodeConnection pooled = pooled();
        assertFalse(pooled.isReusable(), "a pooled connection is shared, never handed on");
        NodeConnection dedicated = open(ReconnectPolicy.never(), null);
        TextCommand a = send(dedicated, "GET", "a");
        redis.endTurn();
        assertFalse(dedicated.isReusable(), "a reply is on its way");
        assertThrows(IllegalStateException.class, () -> dedicated.rebind(new Owner()));
        redis.answer("+x\r\n");
        assertTrue(dedicated.isReusable());
        Wire wire = dedicated.handOver();
        assertEquals(NodeConnection.State.CLOSED, dedicated.state());
        assertTrue(wire.channel().isOpen(), "the channel goes on under its new owner");
        assertEquals("+x\r\n", a.reply);
    }

    /** Completes replies as the router does and counts losses. */
    @Test
    void aPushIsNeverMatchedToACommand() {
        NodeConnection connection = pooled();
        TextCommand a = send(connection, "GET", "a");
        TextCommand b = send(connection, "GET", "b");
        redis.answer(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\na\r\n$1\r\nA\r\n>1\r\n_\r\n$1\r\nB\r\n");
        assertEquals("$1\r\nA\r\n", a.reply);
        assertEquals("$1\r\nB\r\n", b.reply);
        assertEquals(2, owner.pushesDropped);
        assertEquals(NodeConnection.State.ACTIVE, connection.state(), "a push is no stray reply");
    }

    @Test
    void aRespThreeConnectionSaysHelloFirstAndSwallowsItsMap() {
        redis.slow = true;
        ConnectionOptions options = new ConnectionOptions(Transport.NIO, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(5), io.rcproxy.cluster.resp.RespLimits.DEFAULT,
                ConnectionOptions.authFrame("user", "secret"), DedicatedPoolOptions.DEFAULT,
                ConnectionOptions.helloFrame("user", "secret"), null).forResp3();
        assertTrue(options.speaksResp3());
        NodeConnection connection = new NodeConnection(EmbeddedNode.NODE, redis.loop(), redis.flusher, options,
                redis.dialer, ReconnectPolicy.after(Backoff.RECONNECT), owner);
        connection.connect();
        assertTrue(connection.speaksResp3());
        TextCommand a = send(connection, "HGETALL", "h");
        redis.finishConnect();
        redis.endTurn();
        assertEquals("*5\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$4\r\nAUTH\r\n$4\r\nuser\r\n$6\r\nsecret\r\n"
                + "*2\r\n$7\r\nHGETALL\r\n$1\r\nh\r\n", redis.written());
        redis.answer("%1\r\n$5\r\nproto\r\n:3\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n");
        assertEquals("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", a.reply);
        assertEquals(List.of("%1\r\n$1\r\nf\r\n$1\r\nv\r\n"), owner.replies);
    }

    @Test
    void aReplicaConnectionSendsReadonlyAfterAuth() {
        redis.slow = true;
        ConnectionOptions options = redis.options(ConnectionOptions.authFrame(null, "secret")).forReplicas();
        assertTrue(options.readOnly());
        NodeConnection connection = new NodeConnection(EmbeddedNode.NODE, redis.loop(), redis.flusher, options,
                redis.dialer, ReconnectPolicy.after(Backoff.RECONNECT), owner);
        connection.connect();
        TextCommand a = send(connection, "GET", "a");
        redis.finishConnect();
        redis.endTurn();
        assertEquals("*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n*1\r\n$8\r\nREADONLY\r\n"
                + "*2\r\n$3\r\nGET\r\n$1\r\na\r\n", redis.written());
        redis.answer("+OK\r\n+OK\r\n$1\r\nA\r\n");
        assertEquals("$1\r\nA\r\n", a.reply);
        // READONLY's +OK reaches the listener like ASKING's does, which completes it into the void.
        assertEquals(List.of("+OK\r\n", "$1\r\nA\r\n"), owner.replies, "AUTH's reply is swallowed");
    }

    @Test
    void aMasterConnectionSendsNoReadonly() {
        redis.slow = true;
        NodeConnection connection = open(ReconnectPolicy.after(Backoff.RECONNECT), null);
        TextCommand a = send(connection, "GET", "a");
        redis.finishConnect();
        redis.endTurn();
        assertEquals("*2\r\n$3\r\nGET\r\n$1\r\na\r\n", redis.written());
        redis.answer("$1\r\nA\r\n");
        assertEquals("$1\r\nA\r\n", a.reply);
    }

    @Test
    void aRefusedHelloFailsLikeARefusedAuth() {
        ConnectionOptions options = redis.options(null).forResp3();
        NodeConnection connection = new NodeConnection(EmbeddedNode.NODE, redis.loop(), redis.flusher, options,
                redis.dialer, ReconnectPolicy.after(Backoff.RECONNECT), owner);
        connection.connect();
        TextCommand a = send(connection, "PING");
        redis.answer("-NOAUTH HELLO must be called with the client already authenticated\r\n");
        assertEquals("NOAUTH HELLO must be called with the client already authenticated", a.error);
        assertEquals(NodeConnection.State.BACKOFF, connection.state());
    }

    private static final class Owner implements NodeConnection.Listener {
        final List<String> replies = new ArrayList<>();
        int lost;
        int pushesDropped;

        @Override
        public void onPushDropped(NodeConnection connection) {
            pushesDropped++;
        }

        @Override
        public void onReply(NodeConnection connection, ClusterCommand command, ByteBuf reply) {
            replies.add(reply.toString(java.nio.charset.StandardCharsets.UTF_8));
            command.complete(reply);
        }

        @Override
        public void onConnectionLost(NodeConnection connection, Throwable cause) {
            lost++;
        }
    }
}
