package io.rcproxy.cluster.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.resp.CommandFrame;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A push connection against an in-memory node ({@link EmbeddedNode}): every frame is a push, in order,
 * never matched to a request; AUTH is read, not pushed; frames queued while connecting go out or are
 * released; taking over an idle dedicated connection's channel.
 */
class PushConnectionTest {

    private final EmbeddedNode redis = new EmbeddedNode();
    private final PushRecorder subscriber = new PushRecorder();

    @AfterEach
    void finish() {
        redis.finish();
    }

    private PushConnection open(ByteBuf authFrame) {
        return PushConnection.open(EmbeddedNode.NODE, redis.loop(), redis.flusher, authFrame, redis.dialer, subscriber);
    }

    private static ByteBuf frame(String... args) {
        return CommandFrame.encode(ByteBufAllocator.DEFAULT, args);
    }

    @Test
    void everyFrameIsAPushInTheOrderRedisSentIt() {
        PushConnection connection = open(null);
        assertTrue(connection.writeFrame(frame("SUBSCRIBE", "a")));
        redis.endTurn();
        assertEquals("*2\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n", redis.written());
        redis.answer("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n");
        redis.answerByteByByte("*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$3\r\nbye\r\n");
        assertEquals(List.of("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n",
                "*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n",
                "*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$3\r\nbye\r\n"), subscriber.pushes);
        assertTrue(redis.channel().isOpen(), "frames with no request waiting are no protocol error here");
    }

    @Test
    void framesWrittenWhileConnectingGoOutOnceConnected() {
        redis.slow = true;
        PushConnection connection = open(null);
        assertTrue(connection.writeFrame(frame("SUBSCRIBE", "a")));
        assertTrue(connection.writeFrame(frame("PSUBSCRIBE", "b*")));
        redis.finishConnect();
        redis.endTurn();
        assertEquals("*2\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n*2\r\n$10\r\nPSUBSCRIBE\r\n$2\r\nb*\r\n", redis.written());
    }

    @Test
    void framesQueuedWhileConnectingAreReleasedWhenItFails() {
        redis.slow = true;
        PushConnection connection = open(null);
        assertTrue(connection.writeFrame(frame("SUBSCRIBE", "a")));
        redis.failConnect();
        assertEquals(1, subscriber.lost);
        assertEquals(NodeConnection.State.CLOSED, connection.state());
        assertFalse(connection.writeFrame(frame("SUBSCRIBE", "b")), "down: refused, and the frame released");
    }

    @Test
    void authIsReadNotPushed() {
        PushConnection connection = open(ConnectionOptions.authFrame(null, "secret"));
        connection.writeFrame(frame("SUBSCRIBE", "a"));
        redis.endTurn();
        assertEquals("*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n*2\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n", redis.written());
        redis.answer("+OK\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
        assertEquals(List.of("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"), subscriber.pushes);
    }

    @Test
    void aRefusedAuthClosesAndTellsTheListener() {
        PushConnection connection = open(ConnectionOptions.authFrame(null, "wrong"));
        connection.writeFrame(frame("SUBSCRIBE", "a"));
        redis.endTurn();
        redis.written();
        redis.answer("-WRONGPASS invalid username-password pair\r\n-NOAUTH Authentication required.\r\n");
        assertEquals(List.of(), subscriber.pushes, "neither the refusal nor what follows it is a push");
        assertEquals(1, subscriber.lost);
        assertEquals(NodeConnection.State.CLOSED, connection.state());
    }

    @Test
    void aLostConnectionTellsTheListenerOnceAndRefusesFrames() {
        PushConnection connection = open(null);
        redis.channel().close();
        assertEquals(1, subscriber.lost);
        assertEquals(NodeConnection.State.CLOSED, connection.state());
        assertFalse(connection.writeFrame(frame("SUBSCRIBE", "a")));
        redis.advance(5_000);
        assertEquals(1, redis.dials(), "a push connection never reconnects");
    }

    @Test
    void closingOnPurposeIsNoLoss() {
        PushConnection connection = open(null);
        connection.close("unsubscribed");
        assertFalse(redis.channel().isOpen());
        assertEquals(0, subscriber.lost);
    }

    @Test
    void takesOverTheChannelOfAnIdleDedicatedConnection() {
        NodeConnection idle = new NodeConnection(EmbeddedNode.NODE, redis.loop(), redis.flusher, redis.options(null),
                redis.dialer, ReconnectPolicy.never(), new Ignoring());
        idle.connect();
        PushConnection connection = PushConnection.adopt(idle, redis.loop(), redis.flusher, subscriber);
        assertEquals(NodeConnection.State.CLOSED, idle.state());
        assertEquals(NodeConnection.State.ACTIVE, connection.state());
        assertTrue(connection.writeFrame(frame("SSUBSCRIBE", "s")));
        redis.endTurn();
        assertEquals("*2\r\n$10\r\nSSUBSCRIBE\r\n$1\r\ns\r\n", redis.written());
        redis.answer("*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n");
        assertEquals(1, subscriber.pushes.size(), "the frame reached the new owner");
        redis.channel().close();
        assertEquals(1, subscriber.lost, "and so does the loss");
    }

    private static final class Ignoring implements NodeConnection.Listener {
        @Override
        public void onReply(NodeConnection connection, ClusterCommand command, ByteBuf reply) {
            command.complete(reply);
        }

        @Override
        public void onConnectionLost(NodeConnection connection, Throwable cause) {
        }
    }
}
