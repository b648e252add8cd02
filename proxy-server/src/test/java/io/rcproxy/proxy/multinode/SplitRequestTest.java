package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.rcproxy.proxy.command.Merge;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.ReplyQueue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Merging parts' replies into the client's one reply, and releasing every part's reply on every path. */
class SplitRequestTest {

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final List<String> written = new ArrayList<>();
    private final List<ByteBuf> partReplies = new ArrayList<>();

    private ByteBuf reply(String s) {
        ByteBuf buf = alloc.buffer().writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        partReplies.add(buf);
        return buf;
    }

    private RecordingReply entry() {
        return new RecordingReply(written);
    }

    @AfterEach
    void everyPartReplyReleased() {
        for (ByteBuf buf : partReplies) {
            assertEquals(0, buf.refCnt(), "a part's reply must be released once merged");
        }
    }

    @Test
    void mgetValuesReturnToTheClientsKeyOrder() {
        // keys 0..4 in slots 7, 3, 7, 9, 3: groups (1,4) (0,2) (3)
        SlotGroups groups = SlotGroups.of(new int[] {7, 3, 7, 9, 3});
        KeyFanOut fanOut = new KeyFanOut(entry(), alloc, Merge.KEYED_ARRAY, groups);
        fanOut.partReplied(2, reply("*1\r\n$1\r\nd\r\n"));
        fanOut.partReplied(0, reply("*2\r\n$-1\r\n$2\r\ne!\r\n"));
        assertEquals(List.of(), written, "nothing before every part is back");
        fanOut.partReplied(1, reply("*2\r\n$1\r\na\r\n$0\r\n\r\n"));
        assertEquals(List.of("*5\r\n$1\r\na\r\n$-1\r\n$0\r\n\r\n$1\r\nd\r\n$2\r\ne!\r\n"), written);
    }

    @Test
    void sumsAddUpAndAnErrorWins() {
        SlotGroups groups = SlotGroups.of(new int[] {1, 2, 3});
        KeyFanOut del = new KeyFanOut(entry(), alloc, Merge.SUM, groups);
        del.partReplied(0, reply(":1\r\n"));
        del.partReplied(1, reply(":0\r\n"));
        del.partReplied(2, reply(":1\r\n"));
        KeyFanOut failed = new KeyFanOut(entry(), alloc, Merge.SUM, groups);
        failed.partReplied(0, reply(":1\r\n"));
        failed.partFailed(2, "ERR command timed out");
        failed.partReplied(1, reply("-WRONGTYPE no\r\n"));
        assertEquals(List.of(":2\r\n", "-WRONGTYPE no\r\n"), written, "the first part's error, in slot order");
    }

    @Test
    void msetIsOkOnlyWhenEveryPartIs() {
        SlotGroups groups = SlotGroups.of(new int[] {1, 2});
        KeyFanOut ok = new KeyFanOut(entry(), alloc, Merge.ALL_OK, groups);
        ok.partReplied(1, reply("+OK\r\n"));
        ok.partReplied(0, reply("+OK\r\n"));
        KeyFanOut failed = new KeyFanOut(entry(), alloc, Merge.ALL_OK, groups);
        failed.partReplied(0, reply("+OK\r\n"));
        failed.partFailed(1, "ERR node 127.0.0.1:7001 is unreachable");
        assertEquals(List.of("+OK\r\n", "-ERR node 127.0.0.1:7001 is unreachable\r\n"), written);
    }

    @Test
    void clientGoneMidFanOutReleasesLateParts() {
        RecordingReply parent = entry();
        KeyFanOut fanOut = new KeyFanOut(parent, alloc, Merge.KEYED_ARRAY, SlotGroups.of(new int[] {1, 2}));
        fanOut.partReplied(0, reply("*1\r\n$1\r\na\r\n"));
        parent.abandon();
        fanOut.partReplied(1, reply("*1\r\n$1\r\nb\r\n"));
        assertEquals(List.of(), written);
    }

    @Test
    void malformedPartGivesAnErrorAndLeaksNothing() {
        KeyFanOut fanOut = new KeyFanOut(entry(), alloc, Merge.KEYED_ARRAY, SlotGroups.of(new int[] {1, 2}));
        fanOut.partReplied(0, reply("*2\r\n$1\r\na\r\n$1\r\nb\r\n"));
        fanOut.partReplied(1, reply("*1\r\n$1\r\nc\r\n"));
        assertEquals(1, written.size());
        assertEquals(true, written.get(0).startsWith("-ERR unexpected reply from the cluster"), written.get(0));
    }

    @Test
    void keysConcatenateAndDbsizeSums() {
        MasterBroadcast keys = new MasterBroadcast(entry(), alloc, Merge.CONCAT, 3);
        keys.partReplied(0, reply("*2\r\n$1\r\na\r\n$1\r\nb\r\n"));
        keys.partReplied(1, reply("*0\r\n"));
        keys.partReplied(2, reply("*1\r\n$1\r\nc\r\n"));
        MasterBroadcast dbsize = new MasterBroadcast(entry(), alloc, Merge.SUM, 2);
        dbsize.partReplied(0, reply(":40\r\n"));
        dbsize.partReplied(1, reply(":2\r\n"));
        assertEquals(List.of("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", ":42\r\n"), written);
    }

    @Test
    void scriptExistsOnlyWhereItExistsEverywhere() {
        MasterBroadcast exists = new MasterBroadcast(entry(), alloc, Merge.AND, 2);
        exists.partReplied(0, reply("*3\r\n:1\r\n:1\r\n:0\r\n"));
        exists.partReplied(1, reply("*3\r\n:1\r\n:0\r\n:0\r\n"));
        assertEquals(List.of("*3\r\n:1\r\n:0\r\n:0\r\n"), written);
    }

    @Test
    void scriptLoadNeedsEveryMasterToAgree() {
        MasterBroadcast same = new MasterBroadcast(entry(), alloc, Merge.SAME, 2);
        same.partReplied(0, reply("$3\r\nabc\r\n"));
        same.partReplied(1, reply("$3\r\nabc\r\n"));
        MasterBroadcast differ = new MasterBroadcast(entry(), alloc, Merge.SAME, 2);
        differ.partReplied(0, reply("$3\r\nabc\r\n"));
        differ.partReplied(1, reply("$3\r\nabd\r\n"));
        assertEquals("$3\r\nabc\r\n", written.get(0));
        assertEquals(true, written.get(1).startsWith("-ERR masters disagree"), written.get(1));
    }

    @Test
    void scriptKillSucceedsWhereverTheScriptRuns() {
        MasterBroadcast kill = new MasterBroadcast(entry(), alloc, Merge.ANY_OK, 3);
        kill.partReplied(0, reply("-NOTBUSY No scripts in execution right now.\r\n"));
        kill.partReplied(1, reply("+OK\r\n"));
        kill.partReplied(2, reply("-NOTBUSY No scripts in execution right now.\r\n"));
        MasterBroadcast idle = new MasterBroadcast(entry(), alloc, Merge.ANY_OK, 2);
        idle.partReplied(0, reply("-NOTBUSY No scripts in execution right now.\r\n"));
        idle.partFailed(1, "ERR timed out");
        MasterBroadcast none = new MasterBroadcast(entry(), alloc, Merge.ANY_OK, 2);
        none.partReplied(0, reply("-NOTBUSY No scripts in execution right now.\r\n"));
        none.partReplied(1, reply("-NOTBUSY No scripts in execution right now.\r\n"));
        // A master that did not say NOTBUSY may be the one running it: its error tells more.
        assertEquals(List.of("+OK\r\n", "-ERR timed out\r\n", "-NOTBUSY No scripts in execution right now.\r\n"),
                written);
    }

    @Test
    void flushallReportsTheFirstFailure() {
        MasterBroadcast flush = new MasterBroadcast(entry(), alloc, Merge.ALL_OK, 3);
        flush.partReplied(2, reply("-READONLY no\r\n"));
        flush.partReplied(0, reply("+OK\r\n"));
        flush.partFailed(1, "ERR connection lost");
        assertEquals(List.of("-ERR connection lost\r\n"), written);
    }
}
