package io.rcproxy.cluster.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CoalescingWriterTest {

    private static ByteBuf direct(String text) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer();
        buf.writeCharSequence(text, StandardCharsets.US_ASCII);
        return buf;
    }

    private static String drain(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        ByteBuf written;
        while ((written = channel.readOutbound()) != null) {
            out.append(written.toString(StandardCharsets.US_ASCII));
            written.release();
        }
        return out.toString();
    }

    @Test
    void smallFramesOfEveryKindBecomeOneMessageWithTheirReadableBytesInOrder() {
        EmbeddedChannel channel = new EmbeddedChannel();
        CoalescingWriter writer = new CoalescingWriter(channel);
        ByteBuf read = direct("xx+OK\r\nyy");
        ByteBuf pooledSlice = read.retainedSlice(2, 5); // a frame as the decoders cut it, holding the read
        read.release();
        ByteBuf advanced = direct("skip:1\r\n");
        advanced.skipBytes(5);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, direct("$3\r\n"));
        composite.addComponent(true, Unpooled.copiedBuffer("abc\r\n", StandardCharsets.US_ASCII));
        ByteBuf heap = Unpooled.copiedBuffer("*0\r\n", StandardCharsets.US_ASCII);

        writer.writeOwned(pooledSlice);
        writer.writeOwned(advanced);
        writer.writeOwned(composite);
        writer.writeBorrowed(heap);
        writer.flush();

        ByteBuf batch = channel.readOutbound();
        assertEquals("+OK\r\n1\r\n$3\r\nabc\r\n*0\r\n", batch.toString(StandardCharsets.US_ASCII));
        batch.release();
        assertNull(channel.readOutbound(), "one message for the four frames");
        assertEquals(0, pooledSlice.refCnt(), "an owned frame is released once copied");
        assertEquals(0, advanced.refCnt());
        assertEquals(0, composite.refCnt());
        assertEquals(1, heap.refCnt(), "a borrowed frame stays the caller's");
        assertEquals(0, heap.readerIndex(), "and is not consumed");
        heap.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void aLargeFrameGoesOutAsItIsBetweenTheBatchesAroundIt() {
        EmbeddedChannel channel = new EmbeddedChannel();
        CoalescingWriter writer = new CoalescingWriter(channel);
        ByteBuf large = direct("L".repeat(CoalescingWriter.COPY_THRESHOLD + 1));

        writer.writeOwned(direct("a"));
        writer.writeOwned(large);
        writer.writeOwned(direct("b"));
        writer.flush();

        ByteBuf first = channel.readOutbound();
        assertEquals("a", first.toString(StandardCharsets.US_ASCII));
        first.release();
        assertSame(large, channel.readOutbound(), "zero copy above the threshold");
        large.release();
        assertEquals("b", drain(channel));
        channel.finishAndReleaseAll();
    }

    @Test
    void framesLargerThanWhatIsLeftStartANewBatch() {
        EmbeddedChannel channel = new EmbeddedChannel();
        CoalescingWriter writer = new CoalescingWriter(channel);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            String frame = String.valueOf((char) ('a' + i)).repeat(CoalescingWriter.COPY_THRESHOLD);
            expected.append(frame);
            writer.writeOwned(direct(frame));
        }
        writer.flush();
        assertEquals(expected.toString(), drain(channel));
        channel.finishAndReleaseAll();
    }
}
