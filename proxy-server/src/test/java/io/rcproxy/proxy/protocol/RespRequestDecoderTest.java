package io.rcproxy.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RespRequestDecoderTest {

    private static final String SET = "*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n";

    @Test
    void decodesMultibulkFedWhole() {
        assertEquals(List.of(List.of("SET", "foo", "bar")), decodeWhole(SET));
    }

    @Test
    void decodesMultibulkFedOneByteAtATime() {
        assertEquals(List.of(List.of("SET", "foo", "bar")), decodeByteByByte(SET));
    }

    @Test
    void decodesMultibulkSplitAtEveryPosition() {
        assertSameAtEverySplit(SET, List.of(List.of("SET", "foo", "bar")));
    }

    @Test
    void multibulkFrameIsTheBytesTheClientSent() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        channel.writeInbound(ascii(SET + "*1\r\n$4\r\nPING\r\n"));
        RedisRequest first = channel.readInbound();
        RedisRequest second = channel.readInbound();
        try {
            assertEquals(SET, first.frame().toString(StandardCharsets.ISO_8859_1));
            assertEquals("*1\r\n$4\r\nPING\r\n", second.frame().toString(StandardCharsets.ISO_8859_1));
            assertEquals(8, first.argOffset(0));
            assertEquals(3, first.argLength(0));
        } finally {
            first.release();
            second.release();
        }
        assertFalse(channel.finish());
    }

    @Test
    void decodesInlineCommands() {
        String input = "PING\r\nset foo bar\r\n  get\tfoo  \n";
        List<List<String>> expected = List.of(List.of("PING"), List.of("set", "foo", "bar"), List.of("get", "foo"));
        assertEquals(expected, decodeWhole(input));
        assertEquals(expected, decodeByteByByte(input));
        assertSameAtEverySplit(input, expected);
    }

    @Test
    void inlineCommandBecomesMultibulkFrame() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        channel.writeInbound(ascii("set foo \"a b\"\r\n"));
        RedisRequest request = channel.readInbound();
        try {
            assertEquals("*3\r\n$3\r\nset\r\n$3\r\nfoo\r\n$3\r\na b\r\n",
                    request.frame().toString(StandardCharsets.ISO_8859_1));
        } finally {
            request.release();
        }
        assertFalse(channel.finish());
    }

    @Test
    void inlineQuotesFollowRedisRules() {
        assertEquals(List.of(List.of("set", "k", "hello world", "it's")),
                decodeWhole("set k \"hello world\" 'it\\'s'\r\n"));
        assertEquals(List.of(List.of("echo", "a\nb\u0001", "x\\y")),
                decodeWhole("echo \"a\\nb\\x01\" 'x\\y'\r\n"));
        assertEquals(List.of(List.of("echo", "ab cd")), decodeWhole("echo ab\" cd\"\r\n"));
        assertEquals(List.of(List.of("echo", "")), decodeWhole("echo \"\"\n"));
        // An incomplete \x escape is the letter x; inside single quotes a backslash is kept as it is.
        assertEquals(List.of(List.of("echo", "x4g", "a\\\"b")), decodeWhole("echo \"\\x4g\" 'a\\\"b'\r\n"));
    }

    @Test
    void inlineUnbalancedQuotesAreAProtocolError() {
        assertProtocolError("set k \"abc\r\n", "unbalanced quotes in request");
        assertProtocolError("set k \"abc\"def\r\n", "unbalanced quotes in request");
        assertProtocolError("set k 'abc\r\n", "unbalanced quotes in request");
        assertProtocolError("set k 'abc'def\r\n", "unbalanced quotes in request");
    }

    @Test
    void emptyInlineLinesAreIgnored() {
        assertEquals(List.of(List.of("PING")), decodeWhole("\r\n\n   \r\nPING\n"));
    }

    @Test
    void emptyMultibulkIsIgnored() {
        String input = "*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n";
        assertEquals(List.of(List.of("PING")), decodeWhole(input));
        assertSameAtEverySplit(input, List.of(List.of("PING")));
    }

    @Test
    void decodesPipelineOfManyRequestsInOneBuffer() {
        StringBuilder input = new StringBuilder();
        List<List<String>> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String key = "key:" + i;
            if (i % 10 == 0) {
                input.append("GET ").append(key).append("\r\n");
            } else {
                input.append("*2\r\n$3\r\nGET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n");
            }
            expected.add(List.of("GET", key));
        }
        assertEquals(expected, decodeWhole(input.toString()));
    }

    @Test
    void binaryArgumentsMayContainCrlf() {
        String input = "*3\r\n$3\r\nSET\r\n$4\r\nk\r\nk\r\n$6\r\n\r\n\u0000\u00ff\r\n\r\n";
        List<List<String>> expected = List.of(List.of("SET", "k\r\nk", "\r\n\u0000\u00ff\r\n"));
        assertEquals(expected, decodeWhole(input));
        assertSameAtEverySplit(input, expected);
    }

    @Test
    void emptyBulkIsAnArgument() {
        assertEquals(List.of(List.of("SET", "k", "")), decodeWhole("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"));
    }

    @Test
    void manyArgumentsGrowTheArgumentTable() {
        StringBuilder input = new StringBuilder("*1000\r\n$4\r\nMGET\r\n");
        List<String> expected = new ArrayList<>(List.of("MGET"));
        for (int i = 1; i < 1000; i++) {
            String key = "k" + i;
            input.append('$').append(key.length()).append("\r\n").append(key).append("\r\n");
            expected.add(key);
        }
        assertEquals(List.of(expected), decodeByteByByte(input.toString()));
    }

    @Test
    void largeBulkArrivingInManyFragmentsIsDecodedWhole() {
        String value = "v".repeat(1 << 20);
        String input = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + value.length() + "\r\n" + value + "\r\n";
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        for (int i = 0; i < input.length(); i += 1000) {
            channel.writeInbound(ascii(input.substring(i, Math.min(input.length(), i + 1000))));
        }
        assertEquals(List.of(List.of("SET", "k", value)), drainAndFinish(channel));
    }

    @Test
    void longInlineLineArrivingInFragmentsIsDecoded() {
        String arg = "a".repeat(60_000);
        String input = "ECHO " + arg + "\r\n";
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        for (int i = 0; i < input.length(); i += 7) {
            channel.writeInbound(ascii(input.substring(i, Math.min(input.length(), i + 7))));
        }
        assertEquals(List.of(List.of("ECHO", arg)), drainAndFinish(channel));
    }

    @Test
    void hugeArgCountIsRejectedBeforeAllocating() {
        // Would need an 16 GB table if the count were trusted.
        assertProtocolError("*2000000000\r\n", "invalid multibulk length");
        assertProtocolError("*2147483648\r\n", "invalid multibulk length");
    }

    @Test
    void hugeArgCountWithinLimitsAllocatesOnlyForArrivedArguments() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder(new RequestLimits(512, Integer.MAX_VALUE, 1024)));
        assertFalse(channel.writeInbound(ascii("*2000000000\r\n$3\r\nGET\r\n$1\r\nk\r\n")));
        assertFalse(channel.finish());
    }

    @Test
    void hugeBulkLengthIsRejectedBeforeAllocating() {
        assertProtocolError("*2\r\n$3\r\nGET\r\n$2000000000\r\n", "invalid bulk length");
        assertProtocolError("*1\r\n$-1\r\n", "invalid bulk length");
    }

    @Test
    void limitsAreConfigurable() {
        RequestLimits small = new RequestLimits(4, 2, 16);
        assertProtocolError(small, "*3\r\n", "invalid multibulk length");
        assertProtocolError(small, "*1\r\n$536870913\r\n", "invalid bulk length");
        assertProtocolError(small, "GET 01234567890123456789", "too big inline request");
        assertProtocolError(small, "GET 01234567890123456789\r\n", "too big inline request");
        assertProtocolError(small, "a b c\r\n", "invalid multibulk length");
        assertProtocolError(small, "*00000000000000000000", "too big mbulk count string");
        assertProtocolError(small, "*1\r\n$00000000000000000000", "too big bulk count string");
    }

    @Test
    void bulkOverTheLimitButValidForRedisIsAnsweredAndSkipped() {
        RequestLimits small = new RequestLimits(4, 8, 16);
        String input = "*2\r\n$3\r\nGET\r\n$6\r\nlonger\r\n*1\r\n$4\r\nPING\r\n";
        for (int split = 0; split <= input.length(); split++) {
            EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder(small));
            channel.writeInbound(ascii(input.substring(0, split)));
            channel.writeInbound(ascii(input.substring(split)));
            RejectedRequest rejected = channel.readInbound();
            assertEquals("ERR request with a bulk of 6 bytes exceeds the proxy's max-bulk-length of 4 bytes",
                    rejected.error(), "split at " + split);
            RedisRequest ping = channel.readInbound();
            assertEquals("PING", ping.argString(0));
            ping.release();
            assertFalse(channel.finish());
        }
    }

    @Test
    void malformedInputGetsRedisMessages() {
        assertProtocolError("*abc\r\n", "invalid multibulk length");
        assertProtocolError("*\r\n", "invalid multibulk length");
        assertProtocolError("*+1\r\n", "invalid multibulk length");
        assertProtocolError("*1\rx", "invalid multibulk length");
        assertProtocolError("*1\r\nx3\r\nGET\r\n", "expected '$', got 'x'");
        assertProtocolError("*2\r\n$3\r\nGET\r\n:1\r\n", "expected '$', got ':'");
        assertProtocolError("*1\r\n$abc\r\n", "invalid bulk length");
        assertProtocolError("*1\r\n$\r\n", "invalid bulk length");
        assertProtocolError("*1\r\n$3\r\nGETXX", "expected '\\r\\n' after bulk");
    }

    @Test
    void nothingIsEmittedAfterAnError() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        ByteBuf input = ascii("*1\r\n$4\r\nPING\r\n*x\r\n*1\r\n$4\r\nPING\r\n");
        RespRequestException error = assertThrows(RespRequestException.class, () -> channel.writeInbound(input));
        assertEquals("invalid multibulk length", error.getMessage());
        RedisRequest before = channel.readInbound();
        assertEquals("PING", before.argString(0));
        before.release();
        assertNull(channel.readInbound());
        assertFalse(channel.writeInbound(ascii("*1\r\n$4\r\nPING\r\nPING\r\n")));
        assertFalse(channel.finish());
    }

    @Test
    void partialFrameAtCloseIsDropped() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        assertFalse(channel.writeInbound(ascii("*2\r\n$3\r\nGET\r\n$10\r\nabc")));
        assertFalse(channel.finish());
    }

    @Test
    void argumentAccessorsReadTheFrame() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        channel.writeInbound(ascii("EXPIRE Key 120 -7 012 x\r\n"));
        RedisRequest request = channel.readInbound();
        try {
            assertEquals(6, request.argCount());
            assertTrue(request.argEqualsIgnoreCase(0, "expire".getBytes(StandardCharsets.US_ASCII)));
            assertFalse(request.argEqualsIgnoreCase(0, "expir".getBytes(StandardCharsets.US_ASCII)));
            assertTrue(request.argEqualsIgnoreCase(1, "key".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(120, request.argAsLong(2));
            assertEquals(-7, request.argAsLong(3));
            assertThrows(NumberFormatException.class, () -> request.argAsLong(4));
            assertThrows(NumberFormatException.class, () -> request.argAsLong(5));
            assertEquals(-1, request.argAsLong(5, -1));
            assertEquals("Key", request.arg(1).toString(StandardCharsets.US_ASCII));
            assertThrows(IndexOutOfBoundsException.class, () -> request.argLength(6));
        } finally {
            request.release();
        }
        assertFalse(channel.finish());
    }

    @Test
    void argAsLongAcceptsTheLongRangeOnly() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        channel.writeInbound(ascii("x 9223372036854775807 9223372036854775808 -9223372036854775807 -0 0\r\n"));
        RedisRequest request = channel.readInbound();
        try {
            assertEquals(Long.MAX_VALUE, request.argAsLong(1));
            assertThrows(NumberFormatException.class, () -> request.argAsLong(2));
            assertEquals(-Long.MAX_VALUE, request.argAsLong(3));
            assertThrows(NumberFormatException.class, () -> request.argAsLong(4));
            assertEquals(0, request.argAsLong(5));
        } finally {
            request.release();
        }
        assertFalse(channel.finish());
    }

    @Test
    void requestWithManyArgumentsIsDecodedInSlicesWhileReadingPauses() {
        int args = 20_000;
        StringBuilder input = new StringBuilder("*").append(args).append("\r\n$4\r\nMGET\r\n");
        for (int i = 1; i < args; i++) {
            input.append("$1\r\na\r\n");
        }
        EventRecorder events = new EventRecorder();
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder(), events);
        channel.writeInbound(ascii(input + "*1\r\n$4\r\nPING\r\n"));
        assertEquals(RequestBacklog.BEHIND, events.events.get(0), "the decoder gave the loop back");
        RedisRequest request = channel.readInbound();
        assertNull(request, "not all in one go");
        for (int turns = 0; request == null && turns < 1000; turns++) {
            channel.runScheduledPendingTasks();
            request = channel.readInbound();
        }
        RedisRequest ping = null;
        try {
            assertEquals(args, request.argCount());
            runContinuations(channel);
            ping = channel.readInbound();
            assertEquals("PING", ping.argString(0));
        } finally {
            request.release();
            if (ping != null) {
                ping.release();
            }
        }
        assertEquals(List.of(RequestBacklog.BEHIND, RequestBacklog.CAUGHT_UP), events.events);
        assertFalse(channel.finish());
    }

    @Test
    void megabytesOfBlankLinesAreSkippedInSlices() {
        String input = "\n".repeat(200_000) + "\r\n".repeat(100_000) + "PING\r\n";
        EventRecorder events = new EventRecorder();
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder(), events);
        channel.writeInbound(ascii(input));
        assertNull(channel.readInbound(), "not all in one go");
        assertEquals(List.of(RequestBacklog.BEHIND), events.events);
        assertEquals(List.of(List.of("PING")), drainAndFinish(channel));
        assertEquals(List.of(RequestBacklog.BEHIND, RequestBacklog.CAUGHT_UP), events.events);
    }

    @Test
    void longPipelineIsDecodedInSlicesAtEverySplit() {
        StringBuilder input = new StringBuilder();
        List<List<String>> expected = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            input.append(i % 3 == 0 ? "PING\r\n" : "*2\r\n$4\r\nECHO\r\n$1\r\n" + (i % 10) + "\r\n");
            expected.add(i % 3 == 0 ? List.of("PING") : List.of("ECHO", String.valueOf(i % 10)));
        }
        String all = input.toString();
        for (int split = 0; split <= all.length(); split += 997) {
            EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
            channel.writeInbound(ascii(all.substring(0, split)));
            channel.writeInbound(ascii(all.substring(split)));
            assertEquals(expected, drainAndFinish(channel), "split at " + split);
        }
    }

    @Test
    void clientLeavingWhileTheDecoderIsBehindLeaksNothing() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        channel.writeInbound(ascii("PING\r\n".repeat(5000)));
        int firstSlice = 0;
        for (RedisRequest r; (r = channel.readInbound()) != null; firstSlice++) {
            r.release();
        }
        assertTrue(firstSlice < 5000, "decoded " + firstSlice + " in the first slice");
        channel.close(); // EmbeddedChannel runs the pending continuation first: one more slice, no more
        int afterClose = 0;
        for (RedisRequest r; (r = channel.readInbound()) != null; afterClose++) {
            r.release();
        }
        runContinuations(channel);
        assertNull(channel.readInbound(), "decoded after the client left");
        assertTrue(firstSlice + afterClose < 5000, "the rest is dropped, not decoded for nobody");
        assertFalse(channel.finish());
    }

    // ---- fixtures

    /** Passes requests on and keeps the decoder's {@link RequestBacklog} events. */
    private static final class EventRecorder extends io.netty.channel.ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();

        @Override
        public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static List<List<String>> decodeWhole(String input) {
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        channel.writeInbound(ascii(input));
        return drainAndFinish(channel);
    }

    private static List<List<String>> decodeByteByByte(String input) {
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        for (int i = 0; i < input.length(); i++) {
            channel.writeInbound(ascii(input.substring(i, i + 1)));
        }
        return drainAndFinish(channel);
    }

    private static void assertSameAtEverySplit(String input, List<List<String>> expected) {
        for (int split = 0; split <= input.length(); split++) {
            EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
            channel.writeInbound(ascii(input.substring(0, split)));
            channel.writeInbound(ascii(input.substring(split)));
            assertEquals(expected, drainAndFinish(channel), "split at " + split);
        }
    }

    /**
     * Runs the decoder's continuations (it yields after {@link RespRequestDecoder#WORK_PER_TURN} units of
     * work per loop turn) until none is left; bounded, so a decoder that keeps yielding without progress fails.
     */
    static void runContinuations(EmbeddedChannel channel) {
        for (int i = 0; i < 1_000_000; i++) {
            if (channel.runScheduledPendingTasks() < 0) {
                return;
            }
        }
        throw new AssertionError("the decoder keeps scheduling continuations");
    }

    private static List<List<String>> drainAndFinish(EmbeddedChannel channel) {
        runContinuations(channel);
        List<List<String>> requests = new ArrayList<>();
        List<RedisRequest> released = new ArrayList<>();
        for (RedisRequest request; (request = channel.readInbound()) != null; ) {
            released.add(request);
            try {
                List<String> args = new ArrayList<>();
                for (int i = 0; i < request.argCount(); i++) {
                    args.add(request.arg(i).toString(StandardCharsets.ISO_8859_1));
                }
                requests.add(args);
            } finally {
                request.release();
            }
        }
        assertFalse(channel.finish());
        // Pipelined requests share one cumulation buffer: once all are released, nothing may hold it.
        for (RedisRequest request : released) {
            assertEquals(0, request.refCnt(), "frame still referenced: " + released.indexOf(request));
        }
        return requests;
    }

    private static void assertProtocolError(String input, String message) {
        assertProtocolError(RequestLimits.DEFAULT, input, message);
    }

    private static void assertProtocolError(RequestLimits limits, String input, String message) {
        // Whole, and byte by byte: the error must not depend on how the bytes arrive.
        EmbeddedChannel whole = new EmbeddedChannel(new RespRequestDecoder(limits));
        RespRequestException error = assertThrows(RespRequestException.class, () -> whole.writeInbound(ascii(input)));
        assertEquals(message, error.getMessage(), input);
        assertFalse(whole.finish());

        EmbeddedChannel pieces = new EmbeddedChannel(new RespRequestDecoder(limits));
        RespRequestException pieceError = null;
        for (int i = 0; i < input.length() && pieceError == null; i++) {
            try {
                pieces.writeInbound(ascii(input.substring(i, i + 1)));
            } catch (RespRequestException e) {
                pieceError = e;
            }
        }
        assertEquals(message, pieceError == null ? null : pieceError.getMessage(), input + " (byte by byte)");
        assertNull(pieces.readInbound());
        assertFalse(pieces.finish());
    }
}
