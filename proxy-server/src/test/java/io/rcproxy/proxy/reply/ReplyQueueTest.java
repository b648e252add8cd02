package io.rcproxy.proxy.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplyQueueTest {

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final List<String> written = new ArrayList<>();
    private int drains;
    private final List<ByteBuf> frames = new ArrayList<>();

    private final ReplyQueue queue = new ReplyQueue(new ReplyQueue.Sink() {
        @Override
        public void write(ByteBuf reply) {
            written.add(reply.toString(StandardCharsets.US_ASCII));
            reply.release();
        }

        @Override
        public void drained() {
            drains++;
        }

        @Override
        public ByteBufAllocator alloc() {
            return alloc;
        }
    });

    private ByteBuf text(String s) {
        return alloc.buffer().writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private PendingReply forwarded(String request) {
        ByteBuf frame = text(request);
        frames.add(frame);
        return queue.add(frame, 0, 5);
    }

    @AfterEach
    void everyFrameReleased() {
        for (ByteBuf frame : frames) {
            assertEquals(0, frame.refCnt(), "request frame must be released once its command finishes");
        }
    }

    @Test
    void repliesCompletingOutOfOrderAreWrittenInRequestOrder() {
        PendingReply first = forwarded("a");
        PendingReply second = forwarded("b");
        PendingReply third = forwarded("c");

        third.complete(text("+3\r\n"));
        second.complete(text("+2\r\n"));
        assertTrue(written.isEmpty(), "nothing may be written before the first reply");

        first.complete(text("+1\r\n"));
        assertEquals(List.of("+1\r\n", "+2\r\n", "+3\r\n"), written);
        assertTrue(queue.isEmpty());
        assertEquals(1, drains, "one flush for the whole run of replies");
    }

    @Test
    void headIsWrittenAtOnceWhileLaterEntriesWait() {
        PendingReply first = forwarded("a");
        PendingReply second = forwarded("b");
        first.complete(text("+1\r\n"));
        assertEquals(List.of("+1\r\n"), written);
        assertEquals(1, queue.size());
        second.complete(text("+2\r\n"));
        assertEquals(List.of("+1\r\n", "+2\r\n"), written);
    }

    @Test
    void localReplyWaitsBehindEarlierForwardedRequests() {
        PendingReply forwarded = forwarded("a");
        queue.addReady(text("+PONG\r\n"));
        assertTrue(written.isEmpty());
        forwarded.complete(text("+OK\r\n"));
        assertEquals(List.of("+OK\r\n", "+PONG\r\n"), written);
    }

    @Test
    void localReplyOnAnEmptyQueueIsWrittenAtOnce() {
        queue.addReady(text("+PONG\r\n"));
        assertEquals(List.of("+PONG\r\n"), written);
        assertTrue(queue.isEmpty());
    }

    @Test
    void failureBecomesAnErrorReplyInItsPlace() {
        PendingReply first = forwarded("a");
        PendingReply second = forwarded("b");
        second.complete(text("+2\r\n"));
        first.fail("ERR connection to node 127.0.0.1:7001 lost");
        assertEquals(List.of("-ERR connection to node 127.0.0.1:7001 lost\r\n", "+2\r\n"), written);
    }

    @Test
    void abandonedEntriesReleaseRepliesThatArriveLater() {
        PendingReply first = forwarded("a");
        PendingReply second = forwarded("b");
        ByteBuf early = text("+2\r\n");
        second.complete(early);
        queue.abandonAll();
        assertEquals(0, early.refCnt(), "a reply waiting in the queue is released when the client leaves");
        ByteBuf late = text("+1\r\n");
        first.complete(late);
        assertEquals(0, late.refCnt(), "a reply arriving after the client left is released");
        assertTrue(written.isEmpty());
    }

    @Test
    void aSecondCompletionIsReleasedAndIgnored() {
        PendingReply first = forwarded("a");
        first.complete(text("+1\r\n"));
        ByteBuf duplicate = text("+again\r\n");
        first.complete(duplicate);
        assertEquals(0, duplicate.refCnt());
        assertEquals(List.of("+1\r\n"), written);
    }

    @Test
    void entriesAddedWhileSilentAreDroppedInTheirTurnAndReleased() {
        PendingReply loud = forwarded("a");
        queue.silent(true);
        PendingReply quiet = forwarded("b");
        ByteBuf quietReply = text(":2\r\n");
        queue.addReady(text("+OK\r\n")); // CLIENT REPLY OFF's own reply
        queue.silent(false);
        queue.addReady(text("+PONG\r\n"));
        quiet.complete(quietReply);
        loud.complete(text(":1\r\n"));
        assertEquals(List.of(":1\r\n", "+PONG\r\n"), written);
        assertEquals(0, quietReply.refCnt(), "a dropped reply is released");
    }

    @Test
    void aSilentReplyWithNothingQueuedIsReleasedAtOnce() {
        queue.silent(true);
        ByteBuf reply = text("+OK\r\n");
        queue.addReady(reply);
        assertEquals(List.of(), written);
        assertEquals(0, reply.refCnt());
    }
}
