package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.command.Requests;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Splitting a multi-key request by slot, one sub-request per slot, and merging by the table's merge. */
class KeyFanOutTest {

    private static final ClusterNode A = ClusterNode.of("127.0.0.1", 17001);

    private final CommandTable table = CommandTable.builtIn();
    private final Requests requests = new Requests();
    private final RecordingRouter router = new RecordingRouter(RecordingRouter.mapOf(A));
    private final RecordingReply client = new RecordingReply();

    @AfterEach
    void close() {
        router.close();
        requests.close();
    }

    private void start(String... args) {
        CommandSpec spec = table.lookup(args[0]);
        KeyFanOut.start(spec, requests.of(args), client, router, 7, 5, PooledByteBufAllocator.DEFAULT);
    }

    private static int slot(String key) {
        ByteBuf bytes = Unpooled.copiedBuffer(key, StandardCharsets.US_ASCII);
        try {
            return SlotHash.slot(bytes, 0, key.length());
        } finally {
            bytes.release();
        }
    }

    @Test
    void mgetSendsOneSubRequestPerSlotAndAnswersInTheClientsKeyOrder() {
        // slot of {b} < slot of {a}: the {b} group is part 0
        assertTrue(slot("{b}") < slot("{a}"));
        start("mget", "{a}1", "{b}1", "{a}2");
        assertEquals(2, router.sent.size());
        assertEquals("*2\r\n$4\r\nmget\r\n$4\r\n{b}1\r\n", router.sent.get(0).frame());
        assertEquals("*3\r\n$4\r\nmget\r\n$4\r\n{a}1\r\n$4\r\n{a}2\r\n", router.sent.get(1).frame());
        assertEquals(slot("{b}"), router.sent.get(0).slot());
        assertEquals(7, router.sent.get(0).part().affinity(), "the client's affinity keeps its pipeline in order");
        assertEquals(5, router.sent.get(0).part().redirectsLeft(), "each part has its own redirect budget");
        router.answer(1, "*2\r\n$1\r\nx\r\n$-1\r\n");
        assertEquals(0, client.completions(), "nothing before every part is back");
        router.answer(0, "*1\r\n$1\r\ny\r\n");
        assertEquals("*3\r\n$1\r\nx\r\n$1\r\ny\r\n$-1\r\n", client.reply());
    }

    @Test
    void msetKeepsEachKeyWithItsValueAndIsOkWhenEveryPartIs() {
        start("mset", "{a}1", "v1", "{b}1", "v2");
        assertEquals("*3\r\n$4\r\nmset\r\n$4\r\n{b}1\r\n$2\r\nv2\r\n", router.sent.get(0).frame());
        assertEquals("*3\r\n$4\r\nmset\r\n$4\r\n{a}1\r\n$2\r\nv1\r\n", router.sent.get(1).frame());
        router.answer(0, "+OK\r\n");
        router.answer(1, "+OK\r\n");
        assertEquals("+OK\r\n", client.reply());
    }

    @Test
    void msetWithAKeyLackingItsValueGetsRedissArityError() {
        start("mset", "{a}1", "v1", "{b}1");
        assertEquals(List.of(), router.sent);
        assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", client.reply());
    }

    @Test
    void delSumsTheParts() {
        start("del", "{a}1", "{b}1", "{a}2");
        router.answer(0, ":1\r\n");
        router.answer(1, ":2\r\n");
        assertEquals(":3\r\n", client.reply());
    }

    @Test
    void aNewFanOutCommandNeedsOnlyItsRow() {
        CommandTable withRow = CommandTable.parse(List.of("newcount\t-2\treadonly\t1\t-1\t1\trange\tfan_out\tsum"));
        KeyFanOut.start(withRow.lookup("newcount"), requests.of("newcount", "{a}1", "{b}1"), client, router, 0, 5,
                PooledByteBufAllocator.DEFAULT);
        assertEquals("*2\r\n$8\r\nnewcount\r\n$4\r\n{b}1\r\n", router.sent.get(0).frame());
        router.answer(0, ":4\r\n");
        router.answer(1, ":5\r\n");
        assertEquals(":9\r\n", client.reply());
    }
}
