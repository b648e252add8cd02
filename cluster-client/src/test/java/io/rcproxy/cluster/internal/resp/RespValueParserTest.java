package io.rcproxy.cluster.internal.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rcproxy.cluster.resp.RespProtocolException;
import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.cluster.resp.RespValue.ArrayReply;
import io.rcproxy.cluster.resp.RespValue.BulkString;
import io.rcproxy.cluster.resp.RespValue.ErrorReply;
import io.rcproxy.cluster.resp.RespValue.IntegerReply;
import io.rcproxy.cluster.resp.RespValue.SimpleString;
import org.junit.jupiter.api.Test;

class RespValueParserTest {

    @Test
    void simpleString() {
        assertEquals(new SimpleString("OK"), parse("+OK\r\n"));
    }

    @Test
    void errorKeepsItsPrefix() {
        RespValue value = parse("-CROSSSLOT Keys in request don't hash to the same slot\r\n");
        assertEquals(new ErrorReply("CROSSSLOT Keys in request don't hash to the same slot"), value);
        assertEquals("CROSSSLOT", ((ErrorReply) value).prefix());
    }

    @Test
    void integersCoverTheWholeLongRange() {
        assertEquals(new IntegerReply(0), parse(":0\r\n"));
        assertEquals(new IntegerReply(Long.MAX_VALUE), parse(":9223372036854775807\r\n"));
        assertEquals(new IntegerReply(Long.MIN_VALUE), parse(":-9223372036854775808\r\n"));
        assertThrows(RespProtocolException.class, () -> parse(":9223372036854775808\r\n"));
    }

    @Test
    void bulkStringIsBinarySafe() {
        BulkString bulk = (BulkString) parse("$4\r\n\r\n\u00ff\u0000\r\n");
        assertArrayEquals(new byte[] {'\r', '\n', (byte) 0xff, 0}, bulk.bytes());
    }

    @Test
    void emptyAndNullBulkStringsDiffer() {
        assertEquals("", ((BulkString) parse("$0\r\n\r\n")).asString());
        BulkString nullBulk = (BulkString) parse("$-1\r\n");
        assertTrue(nullBulk.isNull());
        assertNull(nullBulk.asString());
    }

    @Test
    void emptyAndNullArraysDiffer() {
        assertEquals(ArrayReply.of(), parse("*0\r\n"));
        assertEquals(ArrayReply.NULL, parse("*-1\r\n"));
    }

    @Test
    void nestedArraysKeepTheirShape() {
        assertEquals(ArrayReply.of(ArrayReply.of(new IntegerReply(1)), BulkString.NULL),
                parse("*2\r\n*1\r\n:1\r\n$-1\r\n"));
    }

    @Test
    void clusterShardsLikeReplyParses() {
        RespValue value = parse("*1\r\n*4\r\n$5\r\nslots\r\n*2\r\n:0\r\n:5460\r\n"
                + "$5\r\nnodes\r\n*1\r\n*4\r\n$2\r\nid\r\n$3\r\nabc\r\n$4\r\nport\r\n:7000\r\n");
        ArrayReply shard = (ArrayReply) ((ArrayReply) value).get(0);
        assertEquals("slots", ((BulkString) shard.get(0)).asString());
        assertEquals(ArrayReply.of(new IntegerReply(0), new IntegerReply(5460)), shard.get(1));
        ArrayReply node = (ArrayReply) ((ArrayReply) shard.get(3)).get(0);
        assertEquals(new IntegerReply(7000), node.get(3));
    }

    @Test
    void bufferIndicesAndOwnershipAreUntouched() {
        ByteBuf frame = Unpooled.copiedBuffer("junk*1\r\n+OK\r\nafter", ISO_8859_1);
        try {
            frame.readerIndex(4);
            assertEquals(ArrayReply.of(new SimpleString("OK")), RespValueParser.parse(frame));
            assertEquals(4, frame.readerIndex());
            assertEquals(1, frame.refCnt());
        } finally {
            frame.release();
        }
    }

    @Test
    void incompleteFrameIsRejected() {
        assertThrows(RespProtocolException.class, () -> parse("*2\r\n:1\r\n"));
        assertThrows(RespProtocolException.class, () -> parse("$5\r\nabc\r\n"));
        assertThrows(RespProtocolException.class, () -> parse("+OK"));
    }

    @Test
    void arrayCountLargerThanTheFrameIsRejectedBeforeAllocating() {
        RespProtocolException e = assertThrows(RespProtocolException.class, () -> parse("*2000000000\r\n:1\r\n"));
        assertEquals("invalid multibulk length", e.getMessage());
    }

    @Test
    void nestingDeeperThanTheLimitIsRejected() {
        String deep = "*1\r\n".repeat(RespValueParser.MAX_DEPTH + 1) + ":1\r\n";
        assertThrows(RespProtocolException.class, () -> parse(deep));
        String allowed = "*1\r\n".repeat(RespValueParser.MAX_DEPTH) + ":1\r\n";
        assertTrue(parse(allowed) instanceof ArrayReply);
    }

    @Test
    void unknownTypeByteIsRejected() {
        RespProtocolException e = assertThrows(RespProtocolException.class, () -> parse("%1\r\n"));
        assertEquals("unexpected byte '%'", e.getMessage());
    }

    private static RespValue parse(String frame) {
        ByteBuf buf = Unpooled.copiedBuffer(frame, ISO_8859_1);
        try {
            return RespValueParser.parse(buf);
        } finally {
            buf.release();
        }
    }
}
