package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.PooledByteBufAllocator;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.Shard;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.command.Requests;
import java.util.List;
import io.rcproxy.proxy.reply.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CONFIG SET/GET/RESETSTAT/REWRITE and WAIT: which nodes are asked, in what order, and the one reply. */
class NodeCommandsTest {

    private static final ClusterNode A = ClusterNode.of("127.0.0.1", 17001);
    private static final ClusterNode B = ClusterNode.of("127.0.0.1", 17002);
    private static final ClusterNode A1 = ClusterNode.of("127.0.0.1", 17011);
    private static final ClusterNode B1 = ClusterNode.of("127.0.0.1", 17012);

    private final CommandTable table = CommandTable.builtIn();
    private final Requests requests = new Requests();
    private final RecordingRouter router = new RecordingRouter(withReplicas());
    private final FakeInfoSource context = new FakeInfoSource();
    private final MultiNodeCommands commands = new MultiNodeCommands(context, router, 3, 5);
    private final RecordingReply client = new RecordingReply();

    /** A owns the first half of the slots, B the rest; each has one replica. */
    private static SlotMap withReplicas() {
        ClusterNode[] owners = new ClusterNode[SlotMap.SLOT_COUNT];
        for (int slot = 0; slot < SlotMap.SLOT_COUNT; slot++) {
            owners[slot] = slot < SlotMap.SLOT_COUNT / 2 ? A : B;
        }
        return SlotMap.of(owners, List.of(new Shard(A, List.of(A1)), new Shard(B, List.of(B1))), 1);
    }

    @AfterEach
    void close() {
        router.close();
        requests.close();
    }

    private void start(String... args) {
        commands.start(table.lookup(args[0] + "|" + args[1]), requests.of(args), client,
                PooledByteBufAllocator.DEFAULT, Protocol.RESP2);
    }

    private List<ClusterNode> asked() {
        return router.sent.stream().map(RecordingRouter.Sent::node).toList();
    }

    @Test
    void configSetAsksTheFirstMasterAloneAndItsRefusalIsTheReply() {
        start("config", "set", "hz", "abc");
        assertEquals(List.of(A), asked());
        router.answer(0, "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be a number\r\n");
        assertEquals(List.of(A), asked(), "no other node was touched");
        assertEquals("-ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be a number\r\n",
                client.reply());
    }

    @Test
    void configSetThenReachesEveryOtherNodeAndALaterRefusalSaysWhatWasApplied() {
        start("config", "set", "hz", "20");
        router.answer(0, "+OK\r\n");
        assertEquals(List.of(A, B, A1, B1), asked(), "the other master, then the replicas");
        router.answer(1, "+OK\r\n");
        router.answer(2, "-NOPERM no permission\r\n");
        router.answer(3, "+OK\r\n");
        assertEquals("-ERR CONFIG SET failed on 127.0.0.1:17011 (applied on 3 of 4 nodes): NOPERM no permission\r\n",
                client.reply());
    }

    @Test
    void configSetOfTheProxysOwnOrTheClustersAddressesIsRefusedWithoutAskingANode() {
        start("config", "set", "hz", "20", "PORT", "7000");
        assertEquals(List.of(), asked());
        assertEquals("-ERR CONFIG SET 'port' is refused by the proxy: it is the proxy's own, or would cut the "
                + "proxy off from the cluster; set it on the nodes themselves\r\n", client.reply());
    }

    @Test
    void resetStatGoesToEveryNodeAndResetsTheProxysCounters() {
        start("config", "resetstat");
        assertEquals(List.of(A, B, A1, B1), asked());
        assertEquals(1, context.resets);
        for (int i = 0; i < 4; i++) {
            router.answer(i, "+OK\r\n");
        }
        assertEquals("+OK\r\n", client.reply());
    }

    @Test
    void configGetTakesTheMostCommonValueAndThePortIsTheProxys() {
        start("config", "get", "*");
        assertEquals(List.of(A, B), asked(), "masters only");
        router.answer(0, "*4\r\n$2\r\nhz\r\n$2\r\n10\r\n$4\r\nport\r\n$5\r\n17001\r\n");
        router.answer(1, "*4\r\n$2\r\nhz\r\n$2\r\n20\r\n$4\r\nport\r\n$5\r\n17002\r\n");
        assertEquals("*4\r\n$2\r\nhz\r\n$2\r\n10\r\n$4\r\nport\r\n$4\r\n6399\r\n", client.reply(),
                "a tie goes to the first master; the port is the proxy's");
    }

    @Test
    void mostCommonPrefersTheMajorityThenTheFirstSeen() {
        assertEquals("b", ConfigGet.mostCommon(List.of("a", "b", "b")));
        assertEquals("a", ConfigGet.mostCommon(List.of("a", "b", "b", "a")));
    }

    @Test
    void waitGoesToTheMastersWrittenAskingNoMoreReplicasThanTheyHave() {
        commands.waitForReplicas(requests.of("wait", "3", "0"), List.of(B), false, client,
                PooledByteBufAllocator.DEFAULT);
        assertEquals(List.of(B), asked());
        assertEquals("*3\r\n$4\r\nWAIT\r\n$1\r\n1\r\n$4\r\n2500\r\n", router.sent.get(0).frame(),
                "one replica, and half the 5 s command timeout for 0 (for ever)");
        router.answer(0, ":1\r\n");
        assertEquals(":1\r\n", client.reply());
    }

    @Test
    void waitAnswersTheMinimumOverTheMasters() {
        commands.waitForReplicas(requests.of("wait", "1", "100"), List.of(), true, client,
                PooledByteBufAllocator.DEFAULT);
        assertEquals(List.of(A, B), asked(), "after a multi-node write: every master");
        router.answer(0, ":1\r\n");
        router.answer(1, ":0\r\n");
        assertEquals(":0\r\n", client.reply());
    }

    @Test
    void waitWithoutWritesAnswersAtOnce() {
        commands.waitForReplicas(requests.of("wait", "1", "100"), List.of(), false, client,
                PooledByteBufAllocator.DEFAULT);
        assertEquals(List.of(), asked());
        assertEquals(":1\r\n", client.reply(), "each master has one replica");
    }
}
