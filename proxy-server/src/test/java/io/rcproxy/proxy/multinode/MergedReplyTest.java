package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.rcproxy.proxy.command.Merge;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each merge of replies alone, as the command table names it; a part's error wins except for any_ok. */
class MergedReplyTest {

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final List<ByteBuf> all = new ArrayList<>();

    private ByteBuf[] replies(String... texts) {
        ByteBuf[] out = new ByteBuf[texts.length];
        for (int i = 0; i < texts.length; i++) {
            out[i] = alloc.buffer().writeBytes(texts[i].getBytes(StandardCharsets.US_ASCII));
            all.add(out[i]);
        }
        return out;
    }

    /** Merges, then releases the result and whatever the merge left, as SplitRequest does. */
    private String merge(Merge merge, String... texts) {
        ByteBuf[] replies = replies(texts);
        ByteBuf merged = MergedReply.of(merge, replies, alloc);
        try {
            return merged.toString(StandardCharsets.US_ASCII);
        } finally {
            merged.release();
            for (ByteBuf left : replies) {
                if (left != null) {
                    left.release();
                }
            }
        }
    }

    @AfterEach
    void everyReplyReleased() {
        for (ByteBuf buf : all) {
            assertEquals(0, buf.refCnt());
        }
    }

    @Test
    void sumAddsIntegers() {
        assertEquals(":42\r\n", merge(Merge.SUM, ":40\r\n", ":0\r\n", ":2\r\n"));
    }

    @Test
    void allOkIsOkOnlyWhenEveryPartIs() {
        assertEquals("+OK\r\n", merge(Merge.ALL_OK, "+OK\r\n", "+OK\r\n"));
        assertEquals("-READONLY no\r\n", merge(Merge.ALL_OK, "+OK\r\n", "-READONLY no\r\n"));
    }

    @Test
    void anyOkTakesTheFirstSuccessElseTheFirstError() {
        assertEquals("+OK\r\n", merge(Merge.ANY_OK, "-NOTBUSY a\r\n", "+OK\r\n", "-NOTBUSY c\r\n"));
        assertEquals("-NOTBUSY a\r\n", merge(Merge.ANY_OK, "-NOTBUSY a\r\n", "-NOTBUSY b\r\n"));
    }

    @Test
    void anyOkPrefersTheErrorOfTheMasterRunningTheScript() {
        assertEquals("-UNKILLABLE wrote\r\n", merge(Merge.ANY_OK, "-NOTBUSY a\r\n", "-UNKILLABLE wrote\r\n"));
        assertEquals("-BUSY function\r\n", merge(Merge.ANY_OK, "-BUSY function\r\n", "-NOTBUSY b\r\n"));
    }

    @Test
    void runningScriptTakesTheReplyWhoseScriptIsNotNil() {
        String idle = "*4\r\n$14\r\nrunning_script\r\n*-1\r\n$7\r\nengines\r\n*0\r\n";
        String busy = "*4\r\n$14\r\nrunning_script\r\n*2\r\n$4\r\nname\r\n$1\r\nf\r\n$7\r\nengines\r\n*0\r\n";
        String idle3 = "%2\r\n$14\r\nrunning_script\r\n_\r\n$7\r\nengines\r\n%0\r\n";
        assertEquals(busy, merge(Merge.RUNNING_SCRIPT, idle, busy, idle));
        assertEquals(idle, merge(Merge.RUNNING_SCRIPT, idle, idle));
        assertEquals(idle3, merge(Merge.RUNNING_SCRIPT, idle3, idle3));
    }

    @Test
    void sameNeedsEveryPartToAgree() {
        assertEquals("$3\r\nabc\r\n", merge(Merge.SAME, "$3\r\nabc\r\n", "$3\r\nabc\r\n"));
        assertTrue(merge(Merge.SAME, "$3\r\nabc\r\n", "$3\r\nabd\r\n").startsWith("-ERR masters disagree"));
    }

    @Test
    void andIsOneOnlyWhereEveryPartSaysOne() {
        assertEquals("*3\r\n:1\r\n:0\r\n:0\r\n", merge(Merge.AND, "*3\r\n:1\r\n:1\r\n:0\r\n", "*3\r\n:1\r\n:0\r\n:1\r\n"));
    }

    @Test
    void concatJoinsArraysInPartOrder() {
        assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
                merge(Merge.CONCAT, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*0\r\n", "*1\r\n$1\r\nc\r\n"));
    }

    @Test
    void firstAndRandomAreTheFirstReplyOnceNoneFailed() {
        assertEquals("$3\r\nlib\r\n", merge(Merge.FIRST, "$3\r\nlib\r\n", "$3\r\nlib\r\n"));
        assertEquals("-ERR Library 'x' already exists\r\n",
                merge(Merge.FIRST, "$1\r\nx\r\n", "-ERR Library 'x' already exists\r\n"));
        assertEquals("$1\r\nk\r\n", merge(Merge.RANDOM, "$1\r\nk\r\n"));
    }

    @Test
    void theFirstErrorInPartOrderWins() {
        assertEquals("-ERR first\r\n", merge(Merge.SUM, ":1\r\n", "-ERR first\r\n", "-ERR second\r\n"));
    }

    @Test
    void mergesThatNeedTheirRequestAreNotMergedHere() {
        for (Merge merge : List.of(Merge.KEYED_ARRAY, Merge.SCAN, Merge.INFO)) {
            ByteBuf[] replies = replies(":1\r\n");
            assertThrows(IllegalStateException.class, () -> MergedReply.of(merge, replies, alloc));
            replies[0].release();
        }
    }

    @Test
    void unionDropsNamesSeenOnAnEarlierMaster() {
        assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
                merge(Merge.UNION, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*0\r\n", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"));
    }

    @Test
    void maxTakesTheLargestCount() {
        assertEquals(":3\r\n", merge(Merge.MAX, ":2\r\n", ":3\r\n", ":0\r\n"));
    }

    @Test
    void numsubAddsCountsButTakesTheLargestForNotificationChannels() {
        String one = "*4\r\n$1\r\nc\r\n:1\r\n$18\r\n__keyevent@0__:set\r\n:2\r\n";
        String two = "*4\r\n$1\r\nc\r\n:2\r\n$18\r\n__keyevent@0__:set\r\n:2\r\n";
        assertEquals("*4\r\n$1\r\nc\r\n:3\r\n$18\r\n__keyevent@0__:set\r\n:2\r\n", merge(Merge.NUMSUB, one, two));
    }

    @Test
    void numsubRefusesMastersThatDisagreeOnTheNames() {
        ByteBuf[] replies = replies("*2\r\n$1\r\nc\r\n:1\r\n", "*0\r\n");
        assertThrows(IllegalStateException.class, () -> MergedReply.of(Merge.NUMSUB, replies, alloc));
        replies[0].release();
        replies[1].release();
    }
}
