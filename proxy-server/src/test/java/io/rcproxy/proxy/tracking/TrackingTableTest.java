package io.rcproxy.proxy.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackingTableTest {

    private final List<Map.Entry<String, List<String>>> evicted = new ArrayList<>();

    private TrackingTable<String> table(int maxKeys) {
        return new TrackingTable<>(maxKeys,
                (key, readers) -> evicted.add(Map.entry(key.toString(), List.copyOf(readers))));
    }

    @Test
    void takeReturnsEveryReaderOnceAndForgetsTheKey() {
        TrackingTable<String> table = table(10);
        table.remember(TrackedKey.of("k"), "a");
        table.remember(TrackedKey.of("k"), "b");
        table.remember(TrackedKey.of("k"), "a");
        assertEquals(1, table.size());
        assertEquals(List.of("a", "b"), table.take(TrackedKey.of("k")));
        assertEquals(0, table.size());
        assertEquals(List.of(), table.take(TrackedKey.of("k")), "invalidated once: forgotten");
    }

    @Test
    void aSingleReaderIsHeldWithoutAList() {
        TrackingTable<String> table = table(10);
        table.remember(TrackedKey.of("k"), "a");
        table.remember(TrackedKey.of("k"), "a");
        assertEquals(List.of("a"), table.take(TrackedKey.of("k")));
    }

    @Test
    void keysCompareByContent() {
        TrackingTable<String> table = table(10);
        table.remember(new TrackedKey(new byte[] {1, 2, 3}), "a");
        assertTrue(table.contains(new TrackedKey(new byte[] {1, 2, 3})));
        assertFalse(table.contains(new TrackedKey(new byte[] {1, 2})));
    }

    @Test
    void aFullTableEvictsTheOldestKeyAndReportsItsReaders() {
        TrackingTable<String> table = table(2);
        table.remember(TrackedKey.of("first"), "a");
        table.remember(TrackedKey.of("first"), "b");
        table.remember(TrackedKey.of("second"), "a");
        table.remember(TrackedKey.of("second"), "c"); // an existing key: no eviction
        assertEquals(List.of(), evicted);
        table.remember(TrackedKey.of("third"), "c");
        assertEquals(List.of(Map.entry("first", List.of("a", "b"))), evicted);
        assertEquals(2, table.size());
        assertEquals(1, table.evictions());
        assertFalse(table.contains(TrackedKey.of("first")));
    }

    @Test
    void rereadingAKeyKeepsItsPlaceInTheEvictionOrder() {
        TrackingTable<String> table = table(2);
        table.remember(TrackedKey.of("old"), "a");
        table.remember(TrackedKey.of("new"), "a");
        table.remember(TrackedKey.of("old"), "b");
        table.remember(TrackedKey.of("newest"), "a");
        assertEquals("old", evicted.get(0).getKey(), "first remembered, first evicted (as Redis, not LRU)");
    }

    @Test
    void clearForgetsEverythingWithoutEvicting() {
        TrackingTable<String> table = table(3);
        table.remember(TrackedKey.of("a"), "x");
        table.remember(TrackedKey.of("b"), "x");
        table.clear();
        assertEquals(0, table.size());
        assertEquals(List.of(), evicted);
    }

    @Test
    void refusesANonPositiveBound() {
        assertThrows(IllegalArgumentException.class, () -> table(0));
    }
}
