package io.rcproxy.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rcproxy.cluster.internal.memory.BufferBudget;
import io.rcproxy.cluster.internal.memory.ReservedFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RespRequestDecoder} and the buffer budget: large bulks are reserved when their header arrives and
 * given back when their frame is released; what does not fit is skipped and answered, never buffered; every
 * path that abandons a request (close, protocol error, refusal) gives its reservation back.
 */
class RespRequestDecoderBudgetTest {

    /** Bulks of 1,000 bytes and more are counted, so the tests stay small. */
    private static final int LARGE = 1000;

    private static String set(String key, int valueLength) {
        return "*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + valueLength + "\r\n"
                + "v".repeat(valueLength) + "\r\n";
    }

    private static final String PING = "*1\r\n$4\r\nPING\r\n";

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static EmbeddedChannel channel(BufferBudget budget) {
        return new EmbeddedChannel(new RespRequestDecoder(RequestLimits.DEFAULT, budget));
    }

    /** Every message out of the decoder: argument lists for requests, the error for rejections. */
    private static List<Object> drain(EmbeddedChannel channel, BufferBudget budget, long expectedWhileHeld) {
        RespRequestDecoderTest.runContinuations(channel);
        List<RedisRequest> held = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            if (msg instanceof RejectedRequest rejected) {
                out.add(rejected.error());
                continue;
            }
            RedisRequest request = (RedisRequest) msg;
            held.add(request);
            List<String> args = new ArrayList<>();
            for (int i = 0; i < request.argCount(); i++) {
                args.add(request.argLength(i) > 20 ? "<" + request.argLength(i) + ">" : request.argString(i));
            }
            out.add(args);
        }
        assertEquals(expectedWhileHeld, budget.used(), "reserved while the requests are held");
        held.forEach(RedisRequest::release);
        assertEquals(0, budget.used(), "reserved after every request was released");
        assertFalse(channel.finish());
        return out;
    }

    @Test
    void largeBulkIsReservedFromItsHeaderUntilItsFrameIsReleased() {
        BufferBudget budget = new BufferBudget(10_000, LARGE);
        EmbeddedChannel channel = channel(budget);
        String input = set("k", 4000);
        int header = input.indexOf("$4000\r\n") + 7;
        channel.writeInbound(ascii(input.substring(0, header)));
        assertEquals(4000, budget.used(), "reserved before any of the bulk arrived");
        channel.writeInbound(ascii(input.substring(header)));
        RedisRequest request = channel.readInbound();
        try {
            assertInstanceOf(ReservedFrame.class, request.frame());
            assertEquals(input, request.frame().toString(StandardCharsets.ISO_8859_1));
            assertEquals("v".repeat(4000), request.argString(2));
            ByteBuf duplicate = request.frame().retainedDuplicate(); // as a transport writes it
            request.release();
            assertEquals(4000, budget.used(), "still held by the write in progress");
            duplicate.release();
            assertEquals(0, budget.used());
        } finally {
            if (request.refCnt() > 0) {
                request.release();
            }
        }
        assertFalse(channel.finish());
    }

    @Test
    void smallBulksAreNotCounted() {
        BufferBudget budget = new BufferBudget(10_000, LARGE);
        EmbeddedChannel channel = channel(budget);
        channel.writeInbound(ascii(set("k", LARGE - 1)));
        RedisRequest request = channel.readInbound();
        assertEquals(0, budget.used());
        assertFalse(request.frame() instanceof ReservedFrame);
        request.release();
        assertFalse(channel.finish());
    }

    @Test
    void largeBulksDecodeTheSameAtEverySplitAndOneByteAtATime() {
        String input = set("a", 1500) + PING + "*5\r\n$4\r\nMSET\r\n$1\r\nb\r\n$1200\r\n" + "x".repeat(1200)
                + "\r\n$1\r\nc\r\n$1000\r\n" + "y".repeat(1000) + "\r\n";
        List<Object> expected = List.of(List.of("SET", "a", "<1500>"), List.of("PING"),
                List.of("MSET", "b", "<1200>", "c", "<1000>"));
        for (int split = 0; split <= input.length(); split += 7) {
            BufferBudget budget = new BufferBudget(10_000, LARGE);
            EmbeddedChannel channel = channel(budget);
            channel.writeInbound(ascii(input.substring(0, split)));
            channel.writeInbound(ascii(input.substring(split)));
            assertEquals(expected, drain(channel, budget, 3700), "split at " + split);
        }
        BufferBudget budget = new BufferBudget(10_000, LARGE);
        EmbeddedChannel channel = channel(budget);
        for (int i = 0; i < input.length(); i++) {
            channel.writeInbound(ascii(input.substring(i, i + 1)));
        }
        assertEquals(expected, drain(channel, budget, 3700));
    }

    @Test
    void aMegabyteBulkInSmallReadsIsReassembledExactly() {
        // Enough reads for the cumulator to consolidate its composite more than once.
        BufferBudget budget = new BufferBudget(8 << 20, LARGE);
        EmbeddedChannel channel = channel(budget);
        StringBuilder value = new StringBuilder();
        for (int i = 0; value.length() < (3 << 20); i++) {
            value.append(i).append(',');
        }
        String input = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + value.length() + "\r\n" + value + "\r\n" + PING;
        for (int i = 0; i < input.length(); i += 4093) {
            channel.writeInbound(ascii(input.substring(i, Math.min(input.length(), i + 4093))));
        }
        RedisRequest set = channel.readInbound();
        RedisRequest ping = channel.readInbound();
        try {
            assertEquals(value.length(), budget.used());
            assertEquals(value.toString(), set.argString(2));
            assertEquals("PING", ping.argString(0));
        } finally {
            set.release();
            ping.release();
        }
        assertEquals(0, budget.used());
        assertFalse(channel.finish());
    }

    @Test
    void requestBiggerThanTheBudgetIsRejectedAndTheConnectionGoesOn() {
        String input = set("k", 5000) + PING;
        List<Object> expected = List.of(
                "ERR request with 5000 bytes of bulk data exceeds the proxy's buffer memory of 3000 bytes",
                List.of("PING"));
        for (int split = 0; split <= input.length(); split += 11) {
            BufferBudget budget = new BufferBudget(3000, LARGE);
            EmbeddedChannel channel = channel(budget);
            channel.writeInbound(ascii(input.substring(0, split)));
            channel.writeInbound(ascii(input.substring(split)));
            assertEquals(expected, drain(channel, budget, 0), "split at " + split);
        }
        BufferBudget budget = new BufferBudget(3000, LARGE);
        EmbeddedChannel channel = channel(budget);
        for (int i = 0; i < input.length(); i++) {
            channel.writeInbound(ascii(input.substring(i, i + 1)));
            assertEquals(0, budget.used());
        }
        assertEquals(expected, drain(channel, budget, 0));
    }

    @Test
    void requestIsRejectedWhileTheBudgetIsFullAndAcceptedOnceItFrees() {
        BufferBudget budget = new BufferBudget(3000, LARGE);
        assertTrue(budget.tryReserve(2500)); // another client's value
        EmbeddedChannel channel = channel(budget);
        channel.writeInbound(ascii(set("k", 1000)));
        RejectedRequest rejected = channel.readInbound();
        assertEquals("ERR proxy buffer memory is full (2500 of 3000 bytes in use): request with a bulk of 1000"
                + " bytes refused, try again later", rejected.error());
        budget.release(2500);
        channel.writeInbound(ascii(set("k", 1000)));
        RedisRequest request = channel.readInbound();
        assertEquals(1000, budget.used());
        request.release();
        assertEquals(0, budget.used());
        assertFalse(channel.finish());
    }

    @Test
    void secondLargeBulkThatDoesNotFitGivesBackTheFirst() {
        BufferBudget budget = new BufferBudget(2500, LARGE);
        EmbeddedChannel channel = channel(budget);
        String input = "*5\r\n$4\r\nMSET\r\n$1\r\na\r\n$2000\r\n" + "x".repeat(2000) + "\r\n$1\r\nb\r\n$2000\r\n"
                + "y".repeat(2000) + "\r\n" + PING;
        channel.writeInbound(ascii(input));
        assertEquals(List.of(
                "ERR request with 4000 bytes of bulk data exceeds the proxy's buffer memory of 2500 bytes",
                List.of("PING")), drain(channel, budget, 0));
    }

    @Test
    void clientLeavingInTheMiddleOfALargeBulkGivesItsReservationBack() {
        BufferBudget budget = new BufferBudget(10_000, LARGE);
        EmbeddedChannel channel = channel(budget);
        String input = set("k", 4000);
        channel.writeInbound(ascii(input.substring(0, input.length() / 2)));
        assertEquals(4000, budget.used());
        assertFalse(channel.finish());
        assertEquals(0, budget.used());
    }

    @Test
    void protocolErrorInTheMiddleOfALargeRequestGivesItsReservationBack() {
        BufferBudget budget = new BufferBudget(10_000, LARGE);
        EmbeddedChannel channel = channel(budget);
        String input = set("k", 4000);
        channel.writeInbound(ascii(input.substring(0, input.length() - 2)));
        assertEquals(4000, budget.used());
        RespRequestException error = assertThrows(RespRequestException.class,
                () -> channel.writeInbound(ascii("xx" + PING)));
        assertEquals("expected '\\r\\n' after bulk", error.getMessage());
        assertEquals(0, budget.used());
        assertNull(channel.readInbound());
        assertFalse(channel.finish());
    }

    @Test
    void protocolErrorInARejectedRequestIsStillAProtocolError() {
        BufferBudget budget = new BufferBudget(1500, LARGE);
        EmbeddedChannel channel = channel(budget);
        String input = set("k", 4000);
        channel.writeInbound(ascii(input.substring(0, input.length() - 2)));
        assertThrows(RespRequestException.class, () -> channel.writeInbound(ascii("xx")));
        assertNull(channel.readInbound());
        assertEquals(0, budget.used());
        assertFalse(channel.finish());
    }
}
