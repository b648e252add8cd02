package io.rcproxy.proxy.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the bytes a client connection receives and is sent, at the head of its pipeline, where messages
 * are still raw buffers. A read adds once per socket read (not per request); writes are summed in a field
 * and added on flush, so the shared {@link LongAdder}s see one update per read and per flush.
 *
 * <p>Thread: the channel's event loop; one instance per channel. Passes every message on untouched.
 */
public final class ClientTrafficHandler extends ChannelDuplexHandler {

    private final LongAdder received;
    private final LongAdder sent;
    private long unflushed;

    ClientTrafficHandler(LongAdder received, LongAdder sent) {
        this.received = received;
        this.sent = sent;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            received.add(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            unflushed += buf.readableBytes();
        }
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        addUnflushed();
        ctx.flush();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        addUnflushed();
    }

    private void addUnflushed() {
        if (unflushed != 0) {
            sent.add(unflushed);
            unflushed = 0;
        }
    }
}
