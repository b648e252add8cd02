package io.rcproxy.proxy.pinned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.proxy.pinned.TransactionState.Idle;
import io.rcproxy.proxy.pinned.TransactionState.Pin;
import io.rcproxy.proxy.pinned.TransactionState.Unpinned;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class TransactionStateTest {

    @Test
    void failingKeepsEverythingElseOfTheState() {
        TransactionState failed = new Unpinned(12, 3, false, new ArrayList<>()).fail();
        assertTrue(failed.failed());
        assertEquals(12, failed.slot());
        assertEquals(3, ((Unpinned) failed).queued());
        assertEquals(new Idle(5, true), new Idle(5, false).fail());
    }

    @Test
    void theIdleStateDecidesNoSlotAndIsNotFailed() {
        assertEquals(-1, TransactionState.IDLE.slot());
        assertEquals(false, TransactionState.IDLE.failed());
    }

    @Test
    void aKeylessCommandLeavesThePinnedSlotAlone() {
        Pin pin = new Pin(null, 42, false);
        assertSame(pin, pin.withSlot(-1));
        assertEquals(42, pin.withSlot(42).slot());
    }
}
