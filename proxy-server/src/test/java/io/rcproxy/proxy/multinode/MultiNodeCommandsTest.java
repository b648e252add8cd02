package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import io.rcproxy.cluster.internal.ClientErrors;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.command.Requests;
import io.rcproxy.proxy.reply.Protocol;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The table's merge picks what a multi-node command does: which masters get it and how replies merge. */
class MultiNodeCommandsTest {

    private static final ClusterNode A = ClusterNode.of("127.0.0.1", 17001);
    private static final ClusterNode B = ClusterNode.of("127.0.0.1", 17002);
    private static final ClusterNode C = ClusterNode.of("127.0.0.1", 17003);

    private final CommandTable table = CommandTable.builtIn();
    private final Requests requests = new Requests();
    // masters listed out of address order: SCAN must number them by address all the same
    private final RecordingRouter router = new RecordingRouter(RecordingRouter.mapOf(C, A, B));
    private final MultiNodeCommands commands = new MultiNodeCommands(null, router, 3, 5);
    private final RecordingReply client = new RecordingReply();

    @AfterEach
    void close() {
        router.close();
        requests.close();
    }

    private void start(String... args) {
        String name = args.length > 1 && table.lookup(args[0]).container() ? args[0] + "|" + args[1] : args[0];
        commands.start(table.lookup(name), requests.of(args), client, PooledByteBufAllocator.DEFAULT, Protocol.RESP2);
    }

    @Test
    void aBroadcastSendsTheClientsBytesToEveryMasterAndMergesByTheTable() {
        start("dbsize");
        assertEquals(3, router.sent.size());
        for (RecordingRouter.Sent sent : router.sent) {
            assertEquals("*1\r\n$6\r\ndbsize\r\n", sent.frame());
            assertEquals(ClusterCommand.ANY_SLOT, sent.slot());
            assertEquals(0, sent.part().redirectsLeft(), "a master's answer is reported, not retried elsewhere");
        }
        assertEquals(List.of(C, A, B), router.sent.stream().map(RecordingRouter.Sent::node).toList());
        router.answer(0, ":1\r\n");
        router.answer(1, ":2\r\n");
        router.answer(2, ":3\r\n");
        assertEquals(":6\r\n", client.reply());
    }

    @Test
    void keysConcatenates() {
        start("keys", "*");
        router.answer(0, "*1\r\n$1\r\na\r\n");
        router.answer(1, "*0\r\n");
        router.answer(2, "*1\r\n$1\r\nb\r\n");
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", client.reply());
    }

    @Test
    void scriptKillIsOkWhereverTheScriptRan() {
        start("script", "kill");
        assertEquals(List.of(0, 1, 2), router.alone, "each master on a connection of its own");
        router.answer(0, "-NOTBUSY No scripts in execution right now.\r\n");
        router.answer(1, "+OK\r\n");
        router.answer(2, "-NOTBUSY No scripts in execution right now.\r\n");
        assertEquals("+OK\r\n", client.reply());
    }

    @Test
    void randomkeyFindsAKeyOnAnyMaster() {
        start("randomkey");
        assertEquals(3, router.sent.size());
        router.answer(0, "$-1\r\n");
        router.answer(1, "$1\r\nk\r\n");
        router.answer(2, "$-1\r\n");
        assertEquals("$1\r\nk\r\n", client.reply(), "the one master with keys");
    }

    @Test
    void randomkeyIsNilOnlyWhenEveryMasterIsEmpty() {
        start("randomkey");
        for (int i = 0; i < 3; i++) {
            router.answer(i, "$-1\r\n");
        }
        assertEquals("$-1\r\n", client.reply());
    }

    @Test
    void scanAsksTheMasterItsCursorNamesWithThatMastersCursor() {
        start("scan", "0", "COUNT", "10");
        assertEquals(1, router.sent.size());
        assertEquals(A, router.sent.get(0).node(), "master 0 is the lowest address");
        assertEquals("*4\r\n$4\r\nscan\r\n$1\r\n0\r\n$5\r\nCOUNT\r\n$2\r\n10\r\n", router.sent.get(0).frame());
        router.answer(0, "*2\r\n$2\r\n17\r\n*1\r\n$1\r\nk\r\n");
        assertEquals("*2\r\n$6\r\n170000\r\n*1\r\n$1\r\nk\r\n", client.reply(), "cursor 17 on master 0");
    }

    @Test
    void scanMovesToTheNextMasterWhenOneIsDone() {
        start("scan", "170000");
        assertEquals(A, router.sent.get(0).node());
        assertTrue(router.sent.get(0).frame().contains("$2\r\n17\r\n"));
        router.answer(0, "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n");
        assertEquals("*2\r\n$1\r\n1\r\n*1\r\n$1\r\nk\r\n", client.reply(), "master 1 from its beginning");
    }

    @Test
    void aMasterDoneWithoutKeysIsFollowedByTheNextInTheSameCall() {
        start("scan", "0");
        router.answer(0, "*2\r\n$1\r\n0\r\n*0\r\n");
        assertEquals(B, router.sent.get(1).node(), "master 1 asked at once");
        assertEquals("*2\r\n$4\r\nscan\r\n$1\r\n0\r\n", router.sent.get(1).frame());
        router.answer(1, "*2\r\n$1\r\n0\r\n*0\r\n");
        router.answer(2, "*2\r\n$1\r\n0\r\n*0\r\n");
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", client.reply(), "an empty keyspace: cursor 0 at once");
    }

    @Test
    void scanRefusesACursorTheProxyCouldNotHaveGiven() {
        start("scan", "7");
        assertEquals(List.of(), router.sent);
        assertEquals("-ERR invalid cursor\r\n", client.reply());
    }

    @Test
    void wrongArityIsAnsweredWithoutAskingTheCluster() {
        start("dbsize", "extra");
        assertEquals(List.of(), router.sent);
        assertEquals("-ERR wrong number of arguments for 'dbsize' command\r\n", client.reply());
    }

    @Test
    void withoutASlotMapTheClusterIsNotAskedAndARefreshIs() {
        router.map = SlotMap.empty();
        start("flushall");
        assertEquals(List.of(), router.sent);
        assertEquals("-" + ClientErrors.NOT_LOADED + "\r\n", client.reply());
        assertEquals(1, router.refreshes);
    }

    @Test
    void fanOutRowsAreSplitBySlot() {
        start("exists", "{a}1", "{b}1");
        assertEquals(2, router.sent.size());
        assertNull(router.sent.get(0).node(), "routed by slot, following redirects");
        router.answer(0, ":1\r\n");
        router.answer(1, ":0\r\n");
        assertEquals(":1\r\n", client.reply());
    }
}
