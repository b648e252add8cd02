package io.rcproxy.cluster.internal.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * What a backend channel's {@link NodeConnectionHandler} reports to: the connection that owns the channel
 * now. A reusable dedicated connection can hand its channel to a {@link PushConnection}, so the owner is
 * not fixed for the channel's life (see {@link Wire#handOver}).
 *
 * <p>Thread: the channel's event loop.
 */
interface ChannelOwner {

    /** A complete frame; ownership of {@code frame} passes to the owner. */
    void onFrame(ByteBuf frame);

    /** A frame skipped because a large bulk in it did not fit in the buffer budget; {@code error} says why. */
    void onFrameRefused(String error);

    /** {@code channel} closed; {@code cause} is why, or null for an orderly close. */
    void onChannelClosed(Channel channel, Throwable cause);

    void onWritabilityChanged();
}
