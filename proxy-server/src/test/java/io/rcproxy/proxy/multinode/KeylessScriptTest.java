package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.PooledByteBufAllocator;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.command.Requests;
import io.rcproxy.proxy.protocol.RedisRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A keyless script tried master by master while Redis says it touched a non-local key. */
class KeylessScriptTest {

    private static final ClusterNode A = ClusterNode.of("127.0.0.1", 17101);
    private static final ClusterNode B = ClusterNode.of("127.0.0.1", 17102);
    private static final ClusterNode C = ClusterNode.of("127.0.0.1", 17103);
    private static final String NON_LOCAL = "-ERR Script attempted to access a non local key in a cluster node\r\n";

    private final Requests requests = new Requests();
    private final RecordingRouter router = new RecordingRouter(RecordingRouter.mapOf(A, B, C));
    private final RecordingReply client = new RecordingReply();

    @AfterEach
    void close() {
        router.close();
        requests.close();
    }

    private RedisRequest start(ClusterNode first) {
        RedisRequest request = requests.of("eval", "return redis.call('get','k')", "0");
        KeylessScript.start(request.frame(), first, List.of(A, B, C), client, router, 0, PooledByteBufAllocator.DEFAULT);
        return request;
    }

    @Test
    void theFirstMasterThatRunsItAnswers() {
        RedisRequest request = start(B);
        assertEquals(List.of(B), router.sent.stream().map(RecordingRouter.Sent::node).toList());
        router.answer(0, NON_LOCAL);
        assertNull(client.reply(), "not answered yet");
        assertEquals(List.of(B, A), router.sent.stream().map(RecordingRouter.Sent::node).toList());
        router.answer(1, "$1\r\nv\r\n");
        assertEquals("$1\r\nv\r\n", client.reply());
        assertEquals(1, request.frame().refCnt(), "the script's and the attempts' references are released");
        assertEquals(2, router.sent.size(), "C was not asked");
    }

    @Test
    void whenEveryMasterRefusesTheLastRefusalIsTheReply() {
        start(A);
        router.answer(0, NON_LOCAL);
        router.answer(1, NON_LOCAL);
        router.answer(2, NON_LOCAL);
        assertEquals(List.of(A, B, C), router.sent.stream().map(RecordingRouter.Sent::node).toList());
        assertEquals(NON_LOCAL, client.reply());
    }

    @Test
    void anyOtherErrorIsTheReplyAtOnce() {
        start(A);
        router.answer(0, "-ERR user_script:1: boom\r\n");
        assertEquals(1, router.sent.size());
        assertEquals("-ERR user_script:1: boom\r\n", client.reply());
    }
}
