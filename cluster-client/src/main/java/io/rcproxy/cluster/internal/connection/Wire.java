package io.rcproxy.cluster.internal.connection;

import io.netty.channel.Channel;

/**
 * A backend channel and the writer that batches frames onto it; the two live and die together.
 *
 * <p>Thread: the channel's event loop.
 */
record Wire(Channel channel, CoalescingWriter writer) {

    static Wire of(Channel channel) {
        return new Wire(channel, new CoalescingWriter(channel));
    }

    /** Drops what is written but not flushed (releasing the batch) and closes the channel. */
    void shut() {
        writer.discard();
        channel.close();
    }

    /** From now on the channel's frames and events go to {@code next}. */
    void handOver(ChannelOwner next) {
        channel.pipeline().get(NodeConnectionHandler.class).owner(next);
    }
}
