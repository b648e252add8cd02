package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.spi.ClusterCommand;

/**
 * A command the proxy sends on its own behalf whose reply nobody waits for (SCRIPT LOAD of an EVAL's body
 * on every master): the reply is released on arrival, a failure ignored.
 *
 * <p>Thread: the event loop that sent it. Ownership: the frame as for any {@link ClusterCommand}.
 */
final class DroppedReply extends ClusterCommand {

    DroppedReply(ByteBuf frame) {
        super(frame, ClusterCommand.ANY_SLOT, 0);
    }

    @Override
    protected void onReply(ByteBuf reply) {
        reply.release();
    }

    @Override
    protected void onError(String message) {
        // Nothing waits for it: EVAL still runs; only a later EVALSHA elsewhere may get NOSCRIPT.
    }
}
