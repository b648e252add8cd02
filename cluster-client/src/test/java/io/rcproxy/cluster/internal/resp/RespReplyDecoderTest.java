package io.rcproxy.cluster.internal.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.resp.RespProtocolException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespReplyDecoderTest {

    /** One of every reply shape, concatenated; the frames are listed in {@link #FRAMES}. */
    private static final String[] FRAMES = {
        "+OK\r\n",
        "-ERR unknown command 'FOO'\r\n",
        ":0\r\n",
        ":-9223372036854775808\r\n",
        "$5\r\nhello\r\n",
        "$0\r\n\r\n",
        "$-1\r\n",
        "$4\r\n\r\n\r\n\r\n",
        "*0\r\n",
        "*-1\r\n",
        "*3\r\n:1\r\n$3\r\nfoo\r\n+bar\r\n",
        "*2\r\n*1\r\n:1\r\n$-1\r\n",
        "*2\r\n*2\r\n*0\r\n*-1\r\n*1\r\n*1\r\n$1\r\nx\r\n",
        "+\r\n",
    };

    @Test
    void everyReplyTypeIsEmittedAsOneFrame() {
        for (String frame : FRAMES) {
            assertEquals(List.of(frame), decode(frame), frame);
        }
    }

    @Test
    void manyFramesInOneBufferAreEmittedInOrder() {
        assertEquals(List.of(FRAMES), decode(String.join("", FRAMES)));
    }

    @Test
    void feedingOneByteAtATimeGivesTheSameFrames() {
        String stream = String.join("", FRAMES);
        EmbeddedChannel channel = new EmbeddedChannel(new RespReplyDecoder());
        for (byte b : stream.getBytes(ISO_8859_1)) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertEquals(List.of(FRAMES), drain(channel));
        assertFalse(channel.finish());
    }

    @Test
    void splittingTheStreamAtEveryPositionGivesTheSameFrames() {
        byte[] stream = String.join("", FRAMES).getBytes(ISO_8859_1);
        for (int split = 0; split <= stream.length; split++) {
            EmbeddedChannel channel = new EmbeddedChannel(new RespReplyDecoder());
            channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, split));
            channel.writeInbound(Unpooled.wrappedBuffer(stream, split, stream.length - split));
            assertEquals(List.of(FRAMES), drain(channel), "split at " + split);
            assertFalse(channel.finish());
        }
    }

    @Test
    void bulkBodyMayContainCrlf() {
        assertEquals(List.of("$5\r\n\r\n+OK\r\n"), decode("$5\r\n\r\n+OK\r\n"));
    }

    @Test
    void incompleteFrameIsHeldBack() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespReplyDecoder());
        assertFalse(channel.writeInbound(Unpooled.copiedBuffer("*2\r\n:1\r\n$3\r\nfo", ISO_8859_1)));
        assertNull(channel.readInbound());
        assertTrue(channel.writeInbound(Unpooled.copiedBuffer("o\r\n", ISO_8859_1)));
        assertEquals(List.of("*2\r\n:1\r\n$3\r\nfoo\r\n"), drain(channel));
        assertFalse(channel.finish());
    }

    @Test
    void hugeDeclaredBulkLengthIsRejected() {
        assertRejected("$2000000000\r\n", "invalid bulk length");
    }

    @Test
    void hugeDeclaredArrayLengthIsRejected() {
        assertRejected("*2000000000\r\n", "invalid multibulk length");
    }

    @Test
    void garbageTypeByteIsRejectedAtOnce() {
        assertRejected("x", "unexpected byte 'x'");
    }

    @Test
    void negativeLengthOtherThanMinusOneIsRejected() {
        assertRejected("$-2\r\n", "invalid bulk length");
        assertRejected("*-2\r\n", "invalid multibulk length");
    }

    @Test
    void nonDigitInLengthIsRejected() {
        assertRejected("$1x\r\n", "invalid bulk length");
        assertRejected("*\r\n", "invalid multibulk length");
        assertRejected(":12a\r\n", "invalid integer");
    }

    @Test
    void bareLineFeedIsRejected() {
        assertRejected("+OK\n", "line not terminated by CRLF");
    }

    @Test
    void bulkWithoutTrailingCrlfIsRejected() {
        assertRejected("$3\r\nfooXY", "bulk string not terminated by CRLF");
    }

    @Test
    void framesBeforeAnErrorAreEmittedAndBytesAfterItAreDiscarded() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespReplyDecoder());
        DecoderException e = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.copiedBuffer("+OK\r\n?", ISO_8859_1)));
        assertInstanceOf(RespProtocolException.class, e.getCause());
        assertEquals(List.of("+OK\r\n"), drain(channel));
        channel.writeInbound(Unpooled.copiedBuffer("+LATER\r\n", ISO_8859_1));
        assertEquals(List.of(), drain(channel));
        assertFalse(channel.finish());
    }

    @Test
    void limitsAreConfigurable() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespReplyDecoder(new RespLimits(3, 1)));
        channel.writeInbound(Unpooled.copiedBuffer("$3\r\nabc\r\n*1\r\n:1\r\n", ISO_8859_1));
        assertEquals(List.of("$3\r\nabc\r\n", "*1\r\n:1\r\n"), drain(channel));
        assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.copiedBuffer("$4\r\n", ISO_8859_1)));
        assertFalse(channel.finish());
    }

    private static void assertRejected(String input, String message) {
        EmbeddedChannel channel = new EmbeddedChannel(new RespReplyDecoder());
        DecoderException e = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.copiedBuffer(input, ISO_8859_1)));
        RespProtocolException cause = assertInstanceOf(RespProtocolException.class, e.getCause());
        assertEquals(message, cause.getMessage());
        assertEquals(List.of(), drain(channel));
        assertFalse(channel.finish());
    }

    private static List<String> decode(String input) {
        EmbeddedChannel channel = new EmbeddedChannel(new RespReplyDecoder());
        channel.writeInbound(Unpooled.copiedBuffer(input, ISO_8859_1));
        List<String> frames = drain(channel);
        assertFalse(channel.finish());
        return frames;
    }

    /** Reads every emitted frame as text and releases it. */
    private static List<String> drain(EmbeddedChannel channel) {
        List<String> frames = new ArrayList<>();
        ByteBuf frame;
        while ((frame = channel.readInbound()) != null) {
            try {
                frames.add(frame.toString(ISO_8859_1));
            } finally {
                frame.release();
            }
        }
        return frames;
    }
}
