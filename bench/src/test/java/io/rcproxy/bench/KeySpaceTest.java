package io.rcproxy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.slot.SlotHash;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeySpaceTest {

    @Test
    void keysAreDistinctExactlySizedAndSpreadOverSlots() {
        KeySpace keys = new KeySpace(1000, 32, 64);
        Set<ByteBuffer> distinct = new HashSet<>();
        Set<Integer> slots = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(32, keys.key(i).length);
            distinct.add(ByteBuffer.wrap(keys.key(i)));
            slots.add(SlotHash.slot(keys.key(i)));
        }
        assertEquals(1000, distinct.size());
        assertTrue(slots.size() > 900, "only " + slots.size() + " slots");
        assertEquals(64, keys.value().length);
    }

    @Test
    void aKeySizeTooSmallForTheKeyspaceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KeySpace(10_000, 8, 16));
    }
}
