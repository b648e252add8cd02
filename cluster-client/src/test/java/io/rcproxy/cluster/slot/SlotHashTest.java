package io.rcproxy.cluster.slot;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlotHashTest {

    // Expected slots were taken from `redis-cli cluster keyslot` against redis-server 7 in cluster mode.
    @ParameterizedTest
    @CsvSource({
        "123456789, 12739",
        "foo, 12182",
        "bar, 5061",
        "hello, 866",
        "{user1000}.following, 3443",
        "{user1000}.followers, 3443",
        "foo{}{bar}, 8363",
        "foo{{bar}}zap, 4015",
        "foo{bar}{zap}, 5061",
        "{}, 15257",
        "a{b}c, 3300",
        "{, 4092",
        "}, 12090",
        "x{y, 2740",
    })
    void slotMatchesRedis(String key, int expected) {
        assertEquals(expected, SlotHash.slot(ascii(key)));
        assertSameSlotFromEveryBufferKind(key, expected);
    }

    @Test
    void emptyKeyIsSlotZero() {
        assertEquals(0, SlotHash.slot(new byte[0]));
    }

    @Test
    void keysWithTheSameHashTagShareASlot() {
        assertEquals(SlotHash.slot(ascii("{user1000}.following")), SlotHash.slot(ascii("{user1000}.followers")));
    }

    @Test
    void emptyHashTagHashesTheWholeKey() {
        assertEquals(slotOfWhole("foo{}{bar}"), SlotHash.slot(ascii("foo{}{bar}")));
        assertNotEquals(SlotHash.slot(ascii("bar")), SlotHash.slot(ascii("foo{}{bar}")));
    }

    @Test
    void hashTagRunsFromFirstOpenBraceToFirstCloseBraceAfterIt() {
        assertEquals(SlotHash.slot(ascii("{bar")), SlotHash.slot(ascii("foo{{bar}}zap")));
    }

    @Test
    void onlyTheFirstHashTagCounts() {
        assertEquals(SlotHash.slot(ascii("bar")), SlotHash.slot(ascii("foo{bar}{zap}")));
    }

    @Test
    void closeBraceBeforeOpenBraceIsNoHashTag() {
        assertEquals(slotOfWhole("}foo{"), SlotHash.slot(ascii("}foo{")));
    }

    @Test
    void offsetIntoAnArrayHashesOnlyThatRange() {
        byte[] padded = ascii("xx{user1000}.followingyy");
        assertEquals(3443, SlotHash.slot(padded, 2, padded.length - 4));
    }

    @Test
    void bufferIndicesAndReferenceCountAreLeftAlone() {
        ByteBuf buf = Unpooled.directBuffer().writeBytes(ascii("--foo"));
        try {
            buf.readerIndex(1);
            assertEquals(12182, SlotHash.slot(buf, 2, 3));
            assertEquals(1, buf.readerIndex());
            assertEquals(5, buf.writerIndex());
            assertEquals(1, buf.refCnt());
        } finally {
            buf.release();
        }
    }

    private static void assertSameSlotFromEveryBufferKind(String key, int expected) {
        byte[] padded = ascii("@@" + key + "##");
        ByteBuf heap = Unpooled.wrappedBuffer(padded);
        ByteBuf direct = Unpooled.directBuffer(padded.length).writeBytes(padded);
        ByteBuf offsetArray = Unpooled.wrappedBuffer(padded, 1, padded.length - 1);
        try {
            heap.readerIndex(2);
            direct.readerIndex(2);
            assertEquals(expected, SlotHash.slot(heap, 2, key.length()), "heap");
            assertEquals(expected, SlotHash.slot(direct, 2, key.length()), "direct");
            assertEquals(expected, SlotHash.slot(offsetArray, 1, key.length()), "array offset");
            assertEquals(expected, SlotHash.slot(direct.slice(2, key.length()), 0, key.length()), "slice");
        } finally {
            heap.release();
            direct.release();
            offsetArray.release();
        }
    }

    private static int slotOfWhole(String key) {
        byte[] bytes = ascii(key);
        return Crc16.crc16(bytes, 0, bytes.length) & (SlotHash.SLOT_COUNT - 1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }
}
