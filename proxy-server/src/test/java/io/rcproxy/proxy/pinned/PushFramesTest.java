package io.rcproxy.proxy.pinned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading the pub/sub and MONITOR frames the proxy must look inside. */
class PushFramesTest {

    private static ByteBuf frame(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static String channelOf(ByteBuf frame) {
        long at = PushFrames.patternMessageChannel(frame);
        return at < 0 ? null : frame.toString((int) (at >>> 32), (int) at, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aPatternMessagesChannelIsFound() {
        ByteBuf pmessage = frame("*4\r\n$8\r\npmessage\r\n$3\r\nch*\r\n$7\r\nchannel\r\n$5\r\nhello\r\n");
        assertTrue(PushFrames.isMessage(pmessage));
        assertEquals("channel", channelOf(pmessage));
        assertEquals(0, pmessage.readerIndex(), "indexes untouched");
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
        PushFrames.appendConfirmation(out, "subscribe", "a", 2);
        PushFrames.appendConfirmation(out, "unsubscribe", null, 0);
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n",
                out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void aMonitorLinesTimestampIsReadInMicroseconds() {
        assertEquals(1796290760216852L, MonitorFeed.timestampMicros(frame("+1796290760.216852 [0 127.0.0.1:1] \"get\" \"k\"\r\n")));
        assertEquals(1_000_000L, MonitorFeed.timestampMicros(frame("+1 [0 127.0.0.1:1] \"ping\"\r\n")));
    }
}
