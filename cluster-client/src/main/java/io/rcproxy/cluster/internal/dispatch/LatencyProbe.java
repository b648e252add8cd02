package io.rcproxy.cluster.internal.dispatch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import java.nio.charset.StandardCharsets;

/**
 * One PING sent to measure a node's round trip for {@link NearestNodes}: it records the time from its
 * send to its reply, or that the node did not answer. It follows no redirect and routes by no slot.
 *
 * <p>Thread: the loop of the router that sent it. Its frame is a duplicate of a shared unreleasable
 * buffer (writing moves the duplicate's reader index, never the shared one); the reply is released here.
 */
final class LatencyProbe extends ClusterCommand {

    /** Never released: each probe takes a duplicate that shares the unreleasable content. */
    private static final ByteBuf PING_FRAME = Unpooled.unreleasableBuffer(Unpooled.directBuffer(16)
            .writeBytes("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII)));

    private final ClusterNode node;
    private final NearestNodes owner;
    private final long sentNanos;

    LatencyProbe(ClusterNode node, NearestNodes owner, long sentNanos) {
        super(PING_FRAME.duplicate(), ClusterCommand.ANY_SLOT, 0);
        this.node = node;
        this.owner = owner;
        this.sentNanos = sentNanos;
    }

    ClusterNode node() {
        return node;
    }

    long sentNanos() {
        return sentNanos;
    }

    @Override
    protected void onReply(ByteBuf reply) {
        boolean pong = reply.getByte(reply.readerIndex()) == '+';
        reply.release();
        if (pong) {
            owner.onAnswer(this, System.nanoTime() - sentNanos);
        } else {
            owner.onNoAnswer(this); // -LOADING, -NOAUTH...: not a node to read from anyway
        }
    }

    @Override
    protected void onError(String message) {
        owner.onNoAnswer(this);
    }
}
