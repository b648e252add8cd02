package io.rcproxy.cluster.internal.memory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * The cumulator of a decoder that may receive large frames. Small frames use Netty's merge cumulator
 * (one contiguous buffer, the fastest to scan). While its decoder says a large frame is arriving, reads are
 * appended to a composite buffer instead: a merged buffer that outgrows its capacity is copied into a bigger
 * one, so a 60 MiB frame briefly needed about 120 MiB, while a composite never copies what it already holds.
 * Reads are consolidated into chunks of about {@link #CHUNK_BYTES}, each byte copied once as the merge
 * cumulator would, so a 512 MiB frame has a few hundred components, few enough to be written with one
 * gathering write and without a copy into a flat buffer.
 *
 * <p>Thread: one instance per decoder, used on its channel's event loop. Ownership follows
 * {@link ByteToMessageDecoder.Cumulator}: it takes {@code cumulation} and {@code in} and returns the one
 * buffer that holds both.
 */
public final class LargeFrameCumulator implements ByteToMessageDecoder.Cumulator {

    /**
     * Consolidated chunk size: 512 MiB in about 512 components, under the 1024 buffers of one writev (a
     * transport copies a buffer of more components into a flat one before writing it). Consolidation goes by
     * bytes, not reads, so small reads cannot multiply the components.
     */
    static final int CHUNK_BYTES = 1024 * 1024;

    private boolean largeFrame;
    /** The composite this cumulator built and is still the cumulation, or null. */
    private CompositeByteBuf composite;
    /** Reads appended to {@link #composite} since its last consolidation, and their bytes. */
    private int tailReads;
    private int tailBytes;

    /** Set by the decoder: true once a large bulk's header has been read, false once its frame is out. */
    public void largeFrame(boolean arriving) {
        this.largeFrame = arriving;
    }

    public boolean largeFrame() {
        return largeFrame;
    }

    @Override
    public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (cumulation != composite) {
            composite = null; // the decoder released or replaced it
        }
        if (largeFrame) {
            return append(alloc, cumulation, in);
        }
        if (composite != null && cumulation.readableBytes() < CHUNK_BYTES) {
            // The large frame is out; go back to one flat buffer for the few bytes that followed it, and let
            // the composite go once the frame's own reference is released too.
            composite = null;
            return merge(alloc, cumulation, in);
        }
        if (composite != null) {
            return append(alloc, cumulation, in);
        }
        return ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
    }

    private ByteBuf append(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        CompositeByteBuf c = composite;
        if (c == null || c.refCnt() != 1) {
            // A frame sliced from the old cumulation may still be out: never add to a buffer others share.
            c = alloc.compositeDirectBuffer(Integer.MAX_VALUE);
            if (!cumulation.isReadable()) {
                cumulation.release();
            } else if (cumulation.readableBytes() < CHUNK_BYTES) {
                c.addComponent(true, copy(alloc, cumulation)); // keeps composites from nesting frame after frame
            } else {
                c.addComponent(true, cumulation); // the composite now holds our reference
            }
            composite = c;
            tailReads = 0;
            tailBytes = 0;
        }
        int length = in.readableBytes();
        if (length == 0) {
            in.release();
            return c;
        }
        c.addComponent(true, in);
        tailReads++;
        tailBytes += length;
        if (tailBytes >= CHUNK_BYTES) {
            int count = Math.min(tailReads, c.numComponents());
            if (count > 1) {
                c.consolidate(c.numComponents() - count, count);
            }
            tailReads = 0;
            tailBytes = 0;
        }
        return c;
    }

    /** A flat copy of {@code buf}'s readable bytes; {@code buf} is released. */
    private static ByteBuf copy(ByteBufAllocator alloc, ByteBuf buf) {
        try {
            ByteBuf flat = alloc.directBuffer(buf.readableBytes());
            flat.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
            return flat;
        } finally {
            buf.release();
        }
    }

    private static ByteBuf merge(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        try {
            ByteBuf flat = alloc.buffer(cumulation.readableBytes() + in.readableBytes());
            flat.writeBytes(cumulation, cumulation.readerIndex(), cumulation.readableBytes());
            flat.writeBytes(in, in.readerIndex(), in.readableBytes());
            return flat;
        } finally {
            cumulation.release();
            in.release();
        }
    }
}
