package io.rcproxy.cluster.internal.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.resp.RespProtocolException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RESP3 types framed like RESP2's: whole, in order, one byte at a time and split anywhere. */
class Resp3ReplyDecoderTest {

    /** One of every RESP3 shape (as Redis 7 sends them), concatenated in the stream tests. */
    private static final String[] FRAMES = {
        "_\r\n",
        "#t\r\n",
        "#f\r\n",
        ",3.14\r\n",
        ",-inf\r\n",
        ",nan\r\n",
        ",1e+300\r\n",
        "(3492890328409238509324850943850943825024385\r\n",
        "(-12\r\n",
        "=15\r\ntxt:Some string\r\n",
        "=8\r\ntxt:\r\n\r\n\r\n",
        "!21\r\nSYNTAX invalid syntax\r\n",
        "%2\r\n$5\r\nfirst\r\n:1\r\n+second\r\n:2\r\n",
        "%0\r\n",
        "~3\r\n$1\r\na\r\n:2\r\n_\r\n",
        "~0\r\n",
        ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n",
        ">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nkey\r\n",
        "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n",
        "|0\r\n+OK\r\n",
        "*2\r\n|1\r\n+ttl\r\n:3600\r\n$1\r\nv\r\n#f\r\n",
        "%1\r\n$1\r\nm\r\n%1\r\n$1\r\nn\r\n~1\r\n>1\r\n_\r\n",
        "*3\r\n$-1\r\n*-1\r\n_\r\n",
    };

    @Test
    void everyTypeIsEmittedAsOneFrame() {
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
        EmbeddedChannel channel = new EmbeddedChannel(new RespReplyDecoder());
        for (byte b : String.join("", FRAMES).getBytes(ISO_8859_1)) {
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
    void eachFrameSplitAtEveryPositionIsHeldBackUntilComplete() {
        for (String frame : FRAMES) {
            byte[] bytes = frame.getBytes(ISO_8859_1);
            for (int split = 1; split < bytes.length; split++) {
                EmbeddedChannel channel = new EmbeddedChannel(new RespReplyDecoder());
                channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
                assertEquals(List.of(), drain(channel), frame + " split at " + split);
                channel.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
                assertEquals(List.of(frame), drain(channel), frame + " split at " + split);
                assertFalse(channel.finish());
            }
        }
    }

    @Test
    void framesLeaveAsSlicesOfTheBytesRead() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespReplyDecoder());
        channel.writeInbound(Unpooled.copiedBuffer("%1\r\n$1\r\nk\r\n_\r\n>1\r\n#t\r\n", ISO_8859_1));
        for (int i = 0; i < 2; i++) {
            ByteBuf frame = channel.readInbound();
            try {
                assertNotNull(frame.unwrap(), "a slice, not a copy");
            } finally {
                frame.release();
            }
        }
        assertFalse(channel.finish());
    }

    @Test
    void malformedScalarsAreRejected() {
        assertRejected("_x\r\n", "invalid null");
        assertRejected("#x\r\n", "invalid boolean");
        assertRejected("#tt\r\n", "invalid boolean");
        assertRejected("#\r\n", "invalid boolean");
        assertRejected(",\r\n", "invalid double");
        assertRejected("(12a\r\n", "invalid big number");
        assertRejected("(-\r\n", "invalid big number");
        assertRejected("(\r\n", "invalid big number");
    }

    @Test
    void lengthsAreCheckedLikeRespTwos() {
        assertRejected("%2000000000\r\n", "invalid map length");
        assertRejected("|2000000000\r\n", "invalid map length");
        assertRejected("%-1\r\n", "invalid map length");
        assertRejected("~2000000000\r\n", "invalid multibulk length");
        assertRejected("~-1\r\n", "invalid multibulk length");
        assertRejected(">-1\r\n", "invalid multibulk length");
        assertRejected("=-1\r\n", "invalid bulk length");
        assertRejected("!-1\r\n", "invalid bulk length");
        assertRejected("=2000000000\r\n", "invalid bulk length");
        assertRejected("=3\r\ntxtXY", "bulk string not terminated by CRLF");
    }

    @Test
    void streamedStringsAndAggregatesAreRefused() {
        assertRejected("$?\r\n", "invalid bulk length");
        assertRejected("*?\r\n", "invalid multibulk length");
        assertRejected("%?\r\n", "invalid map length");
        assertRejected(";4\r\nHell\r\n", "unexpected byte ';'");
    }

    @Test
    void mapLimitCountsPairs() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespReplyDecoder(new RespLimits(3, 1)));
        channel.writeInbound(Unpooled.copiedBuffer("%1\r\n:1\r\n:2\r\n", ISO_8859_1));
        assertEquals(List.of("%1\r\n:1\r\n:2\r\n"), drain(channel));
        assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.copiedBuffer("%2\r\n", ISO_8859_1)));
        assertFalse(channel.finish());
    }

    private static void assertRejected(String input, String message) {
        EmbeddedChannel channel = new EmbeddedChannel(new RespReplyDecoder());
        DecoderException e = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.copiedBuffer(input, ISO_8859_1)), input);
        RespProtocolException cause = assertInstanceOf(RespProtocolException.class, e.getCause());
        assertEquals(message, cause.getMessage(), input);
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
