package io.rcproxy.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.slot.SlotHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
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
        assertEquals(64, keys.value(0).length);
    }

    @Test
    void mgetKeysAreTenKeysInTenDifferentSlotsSpreadOverTheKeyspace() {
        KeySpace keys = new KeySpace(10_000, 512, 16);
        SplittableRandom random = new SplittableRandom(7);
        int[] picked = new int[KeySpace.MGET_KEYS];
        Set<Integer> seen = new HashSet<>();
        for (int round = 0; round < 2_000; round++) {
            keys.pickAcrossSlots(random, picked);
            Set<Integer> slots = new HashSet<>();
            for (int index : picked) {
                slots.add(keys.slot(index));
                assertEquals(SlotHash.slot(keys.key(index)), keys.slot(index));
                seen.add(index);
            }
            assertEquals(KeySpace.MGET_KEYS, slots.size(), "two keys share a slot: " + Arrays.toString(picked));
        }
        assertTrue(seen.size() > 8_000, "picks cover the keyspace, saw " + seen.size());
    }

    @Test
    void askingForMoreDistinctSlotsThanTheKeyspaceHasFailsInsteadOfLooping() {
        KeySpace keys = new KeySpace(10, 16, 8);
        assertThrows(IllegalStateException.class, () -> keys.pickAcrossSlots(new SplittableRandom(1), new int[11]));
    }

    @Test
    void eachValueCarriesItsOwnNumberSoAnotherKeysValueIsTold() {
        KeySpace keys = new KeySpace(5_000, 32, 64);
        assertEquals(64, keys.value(3).length);
        assertTrue(new String(keys.value(3), StandardCharsets.US_ASCII).startsWith("v3:"));
        assertArrayEquals(keys.value(3), keys.value(3 + KeySpace.DISTINCT_VALUES), "values repeat every 1024 keys");
        assertFalse(Arrays.equals(keys.value(3), keys.value(4)));
        assertEquals(64, keys.valueSize());
    }

    @Test
    void aKeySizeTooSmallForTheKeyspaceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KeySpace(10_000, 8, 16));
    }
}
