package io.rcproxy.cluster.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReservedFrameTest {

    @Test
    void readsLikeTheFrameAndGivesTheReservationBackWithItsLastReference() {
        BufferBudget budget = new BufferBudget(1000, 1);
        budget.tryReserve(300);
        ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer().writeBytes("$3\r\nabc\r\n".getBytes(StandardCharsets.US_ASCII));
        ByteBuf reserved = ReservedFrame.wrap(frame, budget, 300);
        assertEquals("$3\r\nabc\r\n", reserved.toString(StandardCharsets.US_ASCII));
        assertEquals('a', reserved.getByte(4));
        ByteBuf duplicate = reserved.retainedDuplicate();
        reserved.release();
        assertEquals(300, budget.used(), "a duplicate still holds the frame");
        duplicate.release();
        assertEquals(0, budget.used());
        assertEquals(0, frame.refCnt(), "the wrapped frame was released with it");
    }

    @Test
    void nothingReservedMeansNoWrapper() {
        ByteBuf frame = ByteBufAllocator.DEFAULT.buffer(4);
        assertSame(frame, ReservedFrame.wrap(frame, BufferBudget.UNLIMITED, 0));
        frame.release();
    }
}
