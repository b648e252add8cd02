package io.rcproxy.proxy.pinned;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rcproxy.proxy.reply.Protocol;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Reading the pub/sub and MONITOR frames the proxy must look inside, in both protocols, and fitting a frame
 * to the client's protocol.
 */
class PushFramesTest {

    private static void with(String text, Consumer<ByteBuf> check) {
        ByteBuf frame = Unpooled.copiedBuffer(text, ISO_8859_1);
        try {
            check.accept(frame);
        } finally {
            frame.release();
        }
    }

    @Test
    void messagesAreArraysInRespTwoAndPushesInRespThree() {
        with("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f -> assertTrue(PushFrames.isMessage(f)));
        with(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f -> assertTrue(PushFrames.isMessage(f)));
        with(">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$2\r\nhi\r\n", f -> assertTrue(PushFrames.isMessage(f)));
        with(">3\r\n$8\r\nsmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f -> assertTrue(PushFrames.isMessage(f)));
        with(">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n", f -> assertFalse(PushFrames.isMessage(f)));
        with("%1\r\n$7\r\nmessage\r\n$2\r\nch\r\n", f -> assertFalse(PushFrames.isMessage(f)));
    }

    @Test
    void aFrameTakesTheTypeByteOfTheClientsProtocolAndNothingElseChanges() {
        with(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f -> {
            PushFrames.fit(f, Protocol.RESP2);
            assertEquals("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f.toString(ISO_8859_1));
            PushFrames.fit(f, Protocol.RESP2);
            assertEquals("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f.toString(ISO_8859_1));
            PushFrames.fit(f, Protocol.RESP3);
            assertEquals(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f.toString(ISO_8859_1));
        });
        with("-MOVED 1 127.0.0.1:7000\r\n", f -> {
            PushFrames.fit(f, Protocol.RESP3);
            assertEquals("-MOVED 1 127.0.0.1:7000\r\n", f.toString(ISO_8859_1));
        });
    }

    private static ByteBuf frame(String text) {
        return Unpooled.copiedBuffer(text, ISO_8859_1);
    }

    private static String channelOf(ByteBuf frame) {
        long at = PushFrames.patternMessageChannel(frame);
        return at < 0 ? null : frame.toString((int) (at >>> 32), (int) at, ISO_8859_1);
    }

    @Test
    void aPatternMessagesChannelIsFound() {
        ByteBuf pmessage = frame("*4\r\n$8\r\npmessage\r\n$3\r\nch*\r\n$7\r\nchannel\r\n$5\r\nhello\r\n");
        assertTrue(PushFrames.isMessage(pmessage));
        assertEquals("channel", channelOf(pmessage));
        assertEquals(0, pmessage.readerIndex(), "indexes untouched");
        assertEquals("channel", channelOf(frame(">4\r\n$8\r\npmessage\r\n$3\r\nch*\r\n$7\r\nchannel\r\n$5\r\nhello\r\n")));
    }

    @Test
    void otherFramesHaveNoPatternChannel() {
        assertEquals(null, channelOf(frame("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nm\r\n")));
        assertEquals(null, channelOf(frame("*3\r\n$10\r\npsubscribe\r\n$3\r\nch*\r\n:1\r\n")));
        assertEquals(null, channelOf(frame("-ERR no\r\n")));
        assertFalse(PushFrames.isMessage(frame("*3\r\n$10\r\npsubscribe\r\n$3\r\nch*\r\n:1\r\n")));
    }

    @Test
    void confirmationsCarryTheCountGiven() {
        ByteBuf out = Unpooled.buffer();
        PushFrames.appendConfirmation(out, Protocol.RESP2, "subscribe", "a", 2);
        PushFrames.appendConfirmation(out, Protocol.RESP2, "unsubscribe", null, 0);
        PushFrames.appendConfirmation(out, Protocol.RESP3, "unsubscribe", null, 0);
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n"
                        + ">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n",
                out.toString(US_ASCII));
    }

    @Test
    void aMonitorLinesTimestampIsReadInMicroseconds() {
        assertEquals(1796290760216852L, MonitorFeed.timestampMicros(frame("+1796290760.216852 [0 127.0.0.1:1] \"get\" \"k\"\r\n")));
        assertEquals(1_000_000L, MonitorFeed.timestampMicros(frame("+1 [0 127.0.0.1:1] \"ping\"\r\n")));
    }
}
