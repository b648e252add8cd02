package io.rcproxy.cluster.internal.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.rcproxy.cluster.internal.memory.BufferBudget;
import io.rcproxy.cluster.internal.memory.LargeFrameCumulator;
import io.rcproxy.cluster.internal.memory.ReservedFrame;
import io.rcproxy.cluster.internal.resp.RespFrameScanner;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.resp.RespProtocolException;
import java.util.List;

/**
 * A backend channel's only handler: frames the reply stream and hands each frame straight to the
 * channel's {@link ChannelOwner} (a {@link NodeConnection} or a {@link PushConnection}), without a pipeline
 * hop per reply; it also reports closure, errors and writability. (It does the job of {@link io.rcproxy.cluster.internal.resp.RespReplyDecoder} plus a consumer, fused
 * because it runs once per reply on the hot path.)
 *
 * <p><b>Large replies.</b> Each bulk of at least {@link BufferBudget#largeBulk()} bytes is reserved in the
 * {@link RespLimits#budget() budget} when its header arrives, and buffered by a {@link LargeFrameCumulator}
 * (no copy-on-grow); the reply then leaves as a {@link ReservedFrame}, which gives the bytes back when the
 * client has been sent it. A bulk that does not fit is not buffered: the rest of its reply is skipped as it
 * arrives and the command gets an {@code ERR} saying why ({@link ChannelOwner#onFrameRefused}), so the
 * connection stays in step and every other command on it is unaffected.
 *
 * <p>Runs on the connection's event loop. Each reply leaves as a retained slice (wrapped when reserved)
 * whose ownership passes to the owner, and from there to the command that finishes its journey. Bytes
 * reserved for a reply still arriving are released here if the channel goes away first.
 */
final class NodeConnectionHandler extends ByteToMessageDecoder {

    /** Changes once at most, when a dedicated connection hands its channel to a push connection. */
    private ChannelOwner owner;
    private final RespFrameScanner scanner;
    private final BufferBudget budget;
    private final LargeFrameCumulator cumulator = new LargeFrameCumulator();
    private Throwable failure;
    /** Bytes reserved for the reply being received; they move to its frame when it is complete. */
    private long reserved;
    /** Why the reply being received is being skipped, or null. */
    private String refusal;

    NodeConnectionHandler(ChannelOwner owner, RespLimits limits) {
        this.owner = owner;
        this.budget = limits.budget();
        this.scanner = new RespFrameScanner(limits, budget.largeBulk());
        setCumulator(cumulator);
    }

    /** From now on frames and events go to {@code next}; see {@link Wire#handOver}. */
    void owner(ChannelOwner next) {
        this.owner = next;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failure != null) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            for (;;) {
                int length = scanner.scan(in);
                if (length >= 0) {
                    complete(in, length);
                    continue;
                }
                int announced = scanner.takeAnnouncedBulk();
                if (announced >= 0) {
                    onLargeBulk(announced);
                    if (refusal != null) {
                        scanner.skipScanned(in);
                    }
                    continue;
                }
                if (refusal != null) {
                    scanner.skipScanned(in);
                }
                return;
            }
        } catch (RespProtocolException e) {
            // A broken reply stream cannot be resynchronised: fail what is in flight and reconnect.
            failure = e;
            releaseReservation();
            in.skipBytes(in.readableBytes());
            ctx.close();
        }
    }

    private void complete(ByteBuf in, int length) {
        if (refusal != null) {
            in.skipBytes(length);
            String why = refusal;
            refusal = null;
            owner.onFrameRefused(why);
            return;
        }
        // Retained: the reply outlives this call; whoever ends its journey (command or subscriber) releases it.
        ByteBuf reply = in.readRetainedSlice(length);
        if (reserved > 0) {
            reply = ReservedFrame.wrap(reply, budget, reserved); // the reservation now travels with the reply
            reserved = 0;
            cumulator.largeFrame(false);
        }
        owner.onFrame(reply);
    }

    private void onLargeBulk(int length) {
        if (refusal != null) {
            return; // already skipping this reply
        }
        if (budget.tryReserve(length)) {
            reserved += length;
            cumulator.largeFrame(true);
            return;
        }
        refusal = budget.refusal("reply", reserved, length);
        releaseReservation(); // what this reply buffered so far is skipped too
    }

    private void releaseReservation() {
        budget.release(reserved);
        reserved = 0;
        cumulator.largeFrame(false);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseReservation(); // the channel went away in the middle of a large reply
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx);
        owner.onChannelClosed(ctx.channel(), failure);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        owner.onWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = cause;
        ctx.close();
    }
}
