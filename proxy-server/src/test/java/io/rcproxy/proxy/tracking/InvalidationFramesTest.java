package io.rcproxy.proxy.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.rcproxy.proxy.reply.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The frames as redis-server 7.0.15 sends them (captured from a standalone server). */
class InvalidationFramesTest {

    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

    private static String text(ByteBuf frame) {
        try {
            return frame.toString(StandardCharsets.UTF_8);
        } finally {
            frame.release();
        }
    }

    @Test
    void resp3GetsAnInvalidatePush() {
        assertEquals(">2\r\n$10\r\ninvalidate\r\n*2\r\n$3\r\np:1\r\n$3\r\np:2\r\n",
                text(InvalidationFrames.invalidate(ALLOC, Protocol.RESP3,
                        List.of(TrackedKey.of("p:1"), TrackedKey.of("p:2")), Protocol.RESP3)));
    }

    @Test
    void resp2GetsAPubSubMessage() {
        assertEquals("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$3\r\nfoo\r\n",
                text(InvalidationFrames.invalidate(ALLOC, Protocol.RESP2, List.of(TrackedKey.of("foo")),
                        Protocol.RESP2)));
    }

    @Test
    void aFlushCarriesANullInTheTrackersProtocol() {
        assertEquals(">2\r\n$10\r\ninvalidate\r\n_\r\n",
                text(InvalidationFrames.invalidate(ALLOC, Protocol.RESP3, null, Protocol.RESP3)));
        assertEquals("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n",
                text(InvalidationFrames.invalidate(ALLOC, Protocol.RESP2, null, Protocol.RESP2)));
        assertEquals("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n_\r\n",
                text(InvalidationFrames.invalidate(ALLOC, Protocol.RESP2, null, Protocol.RESP3)),
                "a RESP3 tracker redirecting to a RESP2 subscriber: Redis writes the tracker's null");
    }

    @Test
    void brokenRedirectNamesTheGoneClient() {
        assertEquals(">2\r\n$21\r\ntracking-redir-broken\r\n:9\r\n", text(InvalidationFrames.redirectBroken(ALLOC, 9)));
    }
}
