package io.rcproxy.proxy.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TemporarySlotHashTest {

    /** Expected values are CLUSTER KEYSLOT answers from redis-server 7.0.15. */
    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "foo 12182", "bar 5061", "hello 866", "somekey 11058",
        "{user1000}.following 3443", "{user1000}.followers 3443",
        "{}x 10595", "{a}x 15495", "a{}{b} 15033", "a{b}{c} 3300", "{a 10276"})
    void slotMatchesRedisClusterKeyslot(String key, int slot) {
        // Surround the key with other bytes: the slot must depend on the given range only.
        ByteBuf buf = Unpooled.copiedBuffer("xx" + key + "{yy}", StandardCharsets.US_ASCII);
        try {
            assertEquals(slot, TemporarySlotHash.slot(buf, 2, key.length()));
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @CsvSource({"0"})
    void emptyKeyIsSlotZero(int slot) {
        assertEquals(slot, TemporarySlotHash.slot(Unpooled.EMPTY_BUFFER, 0, 0));
    }
}
