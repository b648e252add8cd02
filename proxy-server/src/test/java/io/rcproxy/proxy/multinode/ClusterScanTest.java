package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.command.Requests;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One SCAN page from the master the cursor names, the node's cursor swapped for the proxy's. */
class ClusterScanTest {

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

    private void scan(String... args) {
        ClusterScan.start(requests.of(args), List.of(A, B), client, router, 0, PooledByteBufAllocator.DEFAULT);
    }

    @Test
    void optionsPassThroughAndTheNodesCursorReplacesTheProxys() {
        scan("scan", "420001", "MATCH", "user:*", "TYPE", "hash");
        assertEquals(B, router.sent.get(0).node());
        assertEquals("*6\r\n$4\r\nscan\r\n$2\r\n42\r\n$5\r\nMATCH\r\n$6\r\nuser:*\r\n$4\r\nTYPE\r\n$4\r\nhash\r\n",
                router.sent.get(0).frame());
        router.answer(0, "*2\r\n$1\r\n0\r\n*1\r\n$6\r\nuser:1\r\n");
        assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$6\r\nuser:1\r\n", client.reply(), "the last master is done: 0");
    }

    @Test
    void aNodesErrorIsTheReply() {
        scan("scan", "0");
        router.answer(0, "-LOADING Redis is loading the dataset in memory\r\n");
        assertEquals("-LOADING Redis is loading the dataset in memory\r\n", client.reply());
    }

    @Test
    void aReplyThatIsNotAPairIsAnError() {
        scan("scan", "0");
        router.answer(0, "*1\r\n$1\r\n0\r\n");
        assertTrue(client.reply().startsWith("-ERR unexpected reply from the cluster"), client.reply());
    }

    @Test
    void aCursorForAMasterBeyondTheLastIsInvalid() {
        scan("scan", "2");
        assertEquals(List.of(), router.sent);
        assertEquals("-ERR invalid cursor\r\n", client.reply());
    }
}
