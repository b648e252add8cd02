package io.rcproxy.cluster.internal.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Writes RESP frames to one channel, gathering small frames into one pooled buffer per flush and passing
 * large ones through as they are. A pipelined burst of small commands or replies thus becomes a single
 * outbound message instead of one per frame: Netty's per-message bookkeeping (outbound entries, promises,
 * reference counting) costs more than copying a few hundred bytes, and the source buffers are freed at
 * once rather than when the socket drains. Frames above {@link #COPY_THRESHOLD} are still zero-copy.
 *
 * <p>Thread: the channel's event loop. Ownership: see each method; the batch buffer belongs to this
 * writer until it is handed to the channel on a flush, or released by {@link #discard()}.
 */
public final class CoalescingWriter {

    /** Frames up to this many bytes are copied into the batch; larger ones are written as they are. */
    static final int COPY_THRESHOLD = 4096;
    private static final int BATCH_CAPACITY = 16 * 1024;

    private final Channel channel;
    private ByteBuf batch;

    public CoalescingWriter(Channel channel) {
        this.channel = channel;
    }

    /** Writes the readable bytes of {@code frame}; the caller keeps its reference (for a later resend). */
    void writeBorrowed(ByteBuf frame) {
        if (!channel.isOpen()) {
            return; // nothing can go out any more, and a batch made now would outlive the channel
        }
        int length = frame.readableBytes();
        if (length <= COPY_THRESHOLD) {
            copy(frame, length);
        } else {
            spill();
            // The channel releases this extra reference once written; the caller's stays.
            channel.write(frame.retainedDuplicate(), channel.voidPromise());
        }
    }

    /** Writes {@code frame} and takes ownership of it. */
    public void writeOwned(ByteBuf frame) {
        if (!channel.isOpen()) {
            frame.release(); // a reply completing after its client left: nowhere to go
            return;
        }
        int length = frame.readableBytes();
        if (length <= COPY_THRESHOLD) {
            try {
                copy(frame, length);
            } finally {
                frame.release();
            }
        } else {
            spill();
            channel.write(frame, channel.voidPromise());
        }
    }

    /** Hands the batch to the channel and flushes. */
    public void flush() {
        spill();
        channel.flush();
    }

    /** Drops anything gathered but not yet written; for a channel that is closing. */
    public void discard() {
        if (batch != null) {
            batch.release();
            batch = null;
        }
    }

    /**
     * Appends the frame's readable bytes to the batch. Asked of the source ({@code getBytes}), the copy is one
     * memory copy between the two addresses; asked of the batch ({@code writeBytes}), Netty 4.2's adaptive
     * buffers make a {@code ByteBuffer} view of each side per call, which was 38% of the bytes the event loop
     * allocated at pipeline 16.
     */
    private void copy(ByteBuf frame, int length) {
        ByteBuf b = batchFor(length);
        int at = b.writerIndex();
        frame.getBytes(frame.readerIndex(), b, at, length);
        b.writerIndex(at + length);
    }

    private ByteBuf batchFor(int length) {
        ByteBuf b = batch;
        if (b != null && b.writableBytes() >= length) {
            return b;
        }
        spill();
        b = channel.alloc().directBuffer(Math.max(BATCH_CAPACITY, length));
        batch = b;
        return b;
    }

    private void spill() {
        ByteBuf b = batch;
        if (b != null) {
            batch = null;
            channel.write(b, channel.voidPromise()); // the channel owns and releases it from here
        }
    }
}
