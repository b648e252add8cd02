package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Builds a frame out of pieces of other frames (a fan-out's sub-requests, a merged MGET reply), copying
 * small pieces and sharing large ones. A range of {@link #SHARE_FROM} bytes or more joins the frame as a
 * retained slice of its source instead of a copy: a cross-slot MSET or MGET of big values then holds each
 * value once, and the value stays counted in the buffer budget through the frame it arrived in (its
 * {@link io.rcproxy.cluster.internal.memory.ReservedFrame} is released only when every frame sharing it is).
 *
 * <p>Thread: the client's event loop. Ownership: {@link #build()} returns the frame with one reference for
 * the caller; each shared slice keeps its source alive until that frame is released. Call {@link #build()}
 * exactly once: until then the builder owns what it holds.
 */
final class FrameBuilder {

    /** Ranges this long are shared, not copied: well above a coalesced write's copy size. */
    static final int SHARE_FROM = 64 * 1024;

    private final ByteBufAllocator alloc;
    private ByteBuf flat;
    private CompositeByteBuf composite;

    FrameBuilder(ByteBufAllocator alloc, int expectedFlatBytes) {
        this.alloc = alloc;
        this.flat = alloc.buffer(Math.max(64, expectedFlatBytes));
    }

    /** Where headers and other bytes the proxy writes itself go, after everything added so far. */
    ByteBuf flat() {
        return flat;
    }

    /** Appends {@code length} bytes of {@code source} from {@code index}; the caller keeps its reference. */
    void range(ByteBuf source, int index, int length) {
        if (length < SHARE_FROM) {
            flat.writeBytes(source, index, length);
            return;
        }
        if (composite == null) {
            composite = alloc.compositeBuffer(Integer.MAX_VALUE);
        }
        composite.addComponent(true, flat); // the composite owns the bytes written so far
        // Retained: the new frame shares the source's bytes; released with the frame built here.
        composite.addComponent(true, source.retainedSlice(index, length));
        flat = alloc.buffer(64);
    }

    /** The frame: one flat buffer when nothing was shared, else a composite. */
    ByteBuf build() {
        if (composite == null) {
            return flat;
        }
        if (flat.isReadable()) {
            composite.addComponent(true, flat);
        } else {
            flat.release();
        }
        flat = null;
        return composite;
    }
}
