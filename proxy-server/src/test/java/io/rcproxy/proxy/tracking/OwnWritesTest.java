package io.rcproxy.proxy.tracking;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** NOLOOP marks: one invalidation per own write is the client's own; settling forgets the rest. */
class OwnWritesTest {

    private static final TrackedKey K = TrackedKey.of("k");
    private final OwnWrites writes = new OwnWrites();

    @Test
    void eachOwnWriteHidesOneInvalidation() {
        writes.written(List.of(K));
        writes.written(List.of(K));
        assertTrue(writes.ownInvalidation(K));
        assertTrue(writes.ownInvalidation(K));
        assertFalse(writes.ownInvalidation(K), "a third one is someone else's");
    }

    @Test
    void aSettledWriteNoLongerHidesAnything() {
        writes.written(List.of(K));
        writes.settled(List.of(K));
        assertFalse(writes.ownInvalidation(K), "a write that changed nothing must not hide a later change");
        assertTrue(writes.isEmpty());
    }

    @Test
    void settlingOneOfTwoWritesKeepsOneMark() {
        writes.written(List.of(K));
        writes.written(List.of(K));
        writes.settled(List.of(K));
        assertTrue(writes.ownInvalidation(K));
        assertFalse(writes.ownInvalidation(K));
    }

    @Test
    void unwrittenKeysAreNeverHidden() {
        writes.written(List.of(K));
        assertFalse(writes.ownInvalidation(TrackedKey.of("other")));
    }

    @Test
    void aReadAfterTheWriteIsRememberedOnce() {
        writes.read(K);
        writes.written(List.of(K));
        assertFalse(writes.takeReread(K), "read before the write only");
        writes.read(K);
        assertTrue(writes.takeReread(K));
        assertFalse(writes.takeReread(K));
    }
}
