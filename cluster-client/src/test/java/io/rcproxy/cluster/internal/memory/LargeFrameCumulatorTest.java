package io.rcproxy.cluster.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class LargeFrameCumulatorTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static ByteBuf read(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i + seed);
        }
        return ALLOC.directBuffer(length).writeBytes(bytes);
    }

    @Test
    void smallFramesMergeIntoOneFlatBuffer() {
        LargeFrameCumulator cumulator = new LargeFrameCumulator();
        ByteBuf cumulation = cumulator.cumulate(ALLOC, Unpooled.EMPTY_BUFFER, read(100, 0));
        cumulation = cumulator.cumulate(ALLOC, cumulation, read(100, 100));
        assertFalse(cumulation instanceof CompositeByteBuf);
        assertEquals(200, cumulation.readableBytes());
        assertEquals((byte) 150, cumulation.getByte(150));
        cumulation.release();
    }

    @Test
    void largeFrameIsAppendedWithoutCopyingWhatIsHeldAndConsolidatedIntoChunks() {
        LargeFrameCumulator cumulator = new LargeFrameCumulator();
        ByteBuf cumulation = cumulator.cumulate(ALLOC, Unpooled.EMPTY_BUFFER, read(50, 0));
        cumulator.largeFrame(true);
        int reads = 200;
        int length = 64 * 1024;
        for (int i = 0; i < reads; i++) {
            cumulation = cumulator.cumulate(ALLOC, cumulation, read(length, i));
        }
        CompositeByteBuf composite = (CompositeByteBuf) cumulation;
        try {
            assertEquals(50 + reads * length, composite.readableBytes());
            // 200 reads of 64 KiB, consolidated each time 1 MiB (16 reads) has gathered: the first buffer,
            // 12 chunks and the 8 reads since the last consolidation; not 200.
            assertEquals(21, composite.numComponents());
            for (int i = 0; i < reads; i++) {
                int at = 50 + i * length + 7;
                assertEquals((byte) (7 + i), composite.getByte(at), "byte " + at);
            }
        } finally {
            composite.release();
        }
    }

    @Test
    void smallReadsAreConsolidatedIntoChunksOfAMegabyteToo() {
        LargeFrameCumulator cumulator = new LargeFrameCumulator();
        cumulator.largeFrame(true);
        ByteBuf cumulation = Unpooled.EMPTY_BUFFER;
        for (int i = 0; i < 3 * 1024; i++) {
            cumulation = cumulator.cumulate(ALLOC, cumulation, read(1024, i));
        }
        CompositeByteBuf composite = (CompositeByteBuf) cumulation;
        try {
            assertEquals(3 * 1024 * 1024, composite.readableBytes());
            assertTrue(composite.numComponents() <= 4, composite.numComponents() + " components for 3 MiB");
        } finally {
            composite.release();
        }
    }

    @Test
    void afterTheLargeFrameTheFewRemainingBytesGoBackToAFlatBuffer() {
        LargeFrameCumulator cumulator = new LargeFrameCumulator();
        cumulator.largeFrame(true);
        ByteBuf cumulation = cumulator.cumulate(ALLOC, Unpooled.EMPTY_BUFFER, read(1000, 0));
        cumulation = cumulator.cumulate(ALLOC, cumulation, read(1000, 0));
        ByteBuf frame = cumulation.readRetainedSlice(1990); // as the decoder emits it
        cumulator.largeFrame(false);
        ByteBuf next = cumulator.cumulate(ALLOC, cumulation, read(5, 0));
        assertFalse(next instanceof CompositeByteBuf);
        assertEquals(15, next.readableBytes());
        assertEquals(1, frame.refCnt(), "the frame keeps the composite alive by itself");
        frame.release();
        next.release();
    }

    @Test
    void neverAppendsToACompositeAFrameStillShares() {
        LargeFrameCumulator cumulator = new LargeFrameCumulator();
        cumulator.largeFrame(true);
        ByteBuf cumulation = cumulator.cumulate(ALLOC, Unpooled.EMPTY_BUFFER, read(1000, 0));
        cumulation = cumulator.cumulate(ALLOC, cumulation, read(1000, 0));
        ByteBuf frame = cumulation.readRetainedSlice(1500); // a large frame out, the next one arriving
        ByteBuf next = cumulator.cumulate(ALLOC, cumulation, read(1000, 3));
        assertEquals(1500, next.readableBytes());
        assertEquals(1500, frame.readableBytes());
        assertEquals((byte) 3, next.getByte(500));
        frame.release();
        next.release();
    }
}
