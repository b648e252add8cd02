package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.PooledByteBufAllocator;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.command.Merge;
import io.rcproxy.proxy.command.Requests;
import io.rcproxy.proxy.protocol.RedisRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's bytes to each master, each part holding its own reference, merged by the given merge. */
class MasterBroadcastTest {

    private static final ClusterNode A = ClusterNode.of("127.0.0.1", 17001);
    private static final ClusterNode B = ClusterNode.of("127.0.0.1", 17002);

    private final Requests requests = new Requests();
    private final RecordingRouter router = new RecordingRouter(RecordingRouter.mapOf(A, B));
    private final RecordingReply client = new RecordingReply();

    @AfterEach
    void close() {
        router.close();
        requests.close();
    }

    @Test
    void everyNodeGetsTheSameBytesAndEachPartReleasesItsReference() {
        RedisRequest request = requests.of("flushall", "async");
        int before = request.frame().refCnt();
        MasterBroadcast.start(request.frame(), List.of(A, B), Merge.ALL_OK, client, router, 0,
                PooledByteBufAllocator.DEFAULT);
        assertEquals(List.of(A, B), router.sent.stream().map(RecordingRouter.Sent::node).toList());
        assertEquals(router.sent.get(0).frame(), router.sent.get(1).frame());
        assertEquals("*2\r\n$8\r\nflushall\r\n$5\r\nasync\r\n", router.sent.get(0).frame());
        assertEquals(before + 2, request.frame().refCnt(), "one reference per part");
        router.answer(0, "+OK\r\n");
        router.answer(1, "+OK\r\n");
        assertEquals(before, request.frame().refCnt(), "parts release theirs when they finish");
        assertEquals("+OK\r\n", client.reply());
    }

    @Test
    void aPartThatFailsInsideTheClusterClientIsAnErrorReply() {
        MasterBroadcast.start(requests.of("dbsize").frame(), List.of(A, B), Merge.SUM, client, router, 0,
                PooledByteBufAllocator.DEFAULT);
        router.answer(0, ":3\r\n");
        router.sent.get(1).part().fail("ERR node 127.0.0.1:17002 is unreachable");
        assertEquals("-ERR node 127.0.0.1:17002 is unreachable\r\n", client.reply());
    }
}
