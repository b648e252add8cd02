package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameBuilderTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static ByteBuf source(int length, char fill) {
        return ALLOC.buffer(length).writeBytes(String.valueOf(fill).repeat(length).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void smallRangesAreCopiedIntoOneFlatBuffer() {
        ByteBuf source = source(100, 's');
        FrameBuilder builder = new FrameBuilder(ALLOC, 16);
        builder.flat().writeByte('*');
        builder.range(source, 10, 50);
        ByteBuf frame = builder.build();
        assertFalse(frame instanceof CompositeByteBuf);
        assertEquals("*" + "s".repeat(50), frame.toString(StandardCharsets.US_ASCII));
        assertEquals(1, source.refCnt(), "nothing of the source is held");
        frame.release();
        source.release();
    }

    @Test
    void largeRangesAreSharedAndKeepTheirSourceAliveUntilTheFrameIsReleased() {
        int large = FrameBuilder.SHARE_FROM;
        ByteBuf source = source(large + 10, 'L');
        FrameBuilder builder = new FrameBuilder(ALLOC, 16);
        builder.flat().writeCharSequence("head:", StandardCharsets.US_ASCII);
        builder.range(source, 5, large);
        builder.flat().writeCharSequence(":tail", StandardCharsets.US_ASCII);
        ByteBuf frame = builder.build();
        assertTrue(frame instanceof CompositeByteBuf);
        assertEquals(5 + large + 5, frame.readableBytes());
        assertEquals("head:L", frame.toString(0, 6, StandardCharsets.US_ASCII));
        assertEquals("L:tail", frame.toString(frame.readableBytes() - 6, 6, StandardCharsets.US_ASCII));
        source.release(); // the client's frame ends its journey first
        assertEquals(1, source.refCnt(), "the built frame still shares it");
        frame.release();
        assertEquals(0, source.refCnt());
    }
}
