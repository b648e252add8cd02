package io.rcproxy.proxy.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TrackedKeyTest {

    @Test
    void everyKeyStartsWithTheEmptyPrefix() {
        assertTrue(TrackedKey.of("user:1").startsWith(TrackedKey.of("")));
        assertTrue(TrackedKey.of("user:1").startsWith(TrackedKey.of("user:")));
        assertFalse(TrackedKey.of("user").startsWith(TrackedKey.of("user:")));
    }

    @Test
    void prefixesOverlapWhenOneStartsTheOther() {
        assertTrue(TrackedKey.of("ab").overlaps(TrackedKey.of("a")));
        assertTrue(TrackedKey.of("a").overlaps(TrackedKey.of("ab")));
        assertTrue(TrackedKey.of("ab").overlaps(TrackedKey.of("ab")));
        assertFalse(TrackedKey.of("ab").overlaps(TrackedKey.of("b")));
    }

    @Test
    void sortsInUnsignedByteOrderAsRedisListsPrefixes() {
        TreeSet<TrackedKey> sorted = new TreeSet<>(List.of(TrackedKey.of("cd"),
                new TrackedKey(new byte[] {(byte) 0xff}), TrackedKey.of("ab"), TrackedKey.of("b")));
        assertEquals("[ab, b, cd]", sorted.headSet(new TrackedKey(new byte[] {(byte) 0x80})).toString());
        assertEquals(0xff, sorted.last().bytes()[0] & 0xff);
    }

    @Test
    void copyOfTakesTheBytesWithoutMovingTheBuffer() {
        ByteBuf buf = Unpooled.copiedBuffer("xxkeyxx", StandardCharsets.US_ASCII);
        try {
            assertEquals(TrackedKey.of("key"), TrackedKey.copyOf(buf, 2, 3));
            assertEquals(0, buf.readerIndex());
        } finally {
            buf.release();
        }
    }
}
