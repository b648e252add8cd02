package io.rcproxy.cluster.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BufferBudgetTest {

    @Test
    void reservesUpToTheLimitAndNoFurther() {
        BufferBudget budget = new BufferBudget(100, 10);
        assertTrue(budget.tryReserve(60));
        assertFalse(budget.tryReserve(41));
        assertEquals(60, budget.used(), "a refused reservation takes nothing");
        assertTrue(budget.tryReserve(40));
        assertFalse(budget.tryReserve(1));
        budget.release(100);
        assertEquals(0, budget.used());
    }

    @Test
    void countsOnlyLargeBulks() {
        BufferBudget budget = new BufferBudget(100, 10);
        assertFalse(budget.counts(9));
        assertTrue(budget.counts(10));
        assertFalse(BufferBudget.UNLIMITED.counts(Integer.MAX_VALUE - 1));
    }

    @Test
    void releasingMoreThanWasReservedIsABug() {
        BufferBudget budget = new BufferBudget(100, 10);
        budget.tryReserve(5);
        assertThrows(IllegalStateException.class, () -> budget.release(6));
    }

    @Test
    void refusalSaysWhetherTheFrameCanEverFit() {
        BufferBudget budget = new BufferBudget(100, 10);
        assertEquals("ERR request with 120 bytes of bulk data exceeds the proxy's buffer memory of 100 bytes",
                budget.refusal("request", 50, 70));
        budget.tryReserve(80);
        assertEquals("ERR proxy buffer memory is full (80 of 100 bytes in use): reply with a bulk of 30 bytes"
                + " refused, try again later", budget.refusal("reply", 0, 30));
    }

    @Test
    void concurrentReservationsNeverExceedTheLimit() throws InterruptedException {
        BufferBudget budget = new BufferBudget(1000, 1);
        AtomicInteger overshoots = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    if (budget.tryReserve(300)) {
                        if (budget.used() > 1000) {
                            overshoots.incrementAndGet();
                        }
                        budget.release(300);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        assertEquals(0, overshoots.get());
        assertEquals(0, budget.used());
    }
}
