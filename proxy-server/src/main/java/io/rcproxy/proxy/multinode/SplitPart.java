package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.spi.ClusterCommand;

/**
 * One part of a {@link SplitRequest} on its way to the cluster: a sub-request for one slot group, or the
 * client's command for one master. It spends its own redirect budget like any forwarded command.
 *
 * <p>Thread: the client's event loop. Ownership: the frame as for any {@link ClusterCommand}; the reply
 * passes to the split request.
 */
final class SplitPart extends ClusterCommand {

    private final SplitRequest request;
    private final int index;

    SplitPart(SplitRequest request, int index, ByteBuf frame, int slot, int maxRedirects) {
        super(frame, slot, maxRedirects);
        this.request = request;
        this.index = index;
    }

    @Override
    protected void onReply(ByteBuf reply) {
        request.partReplied(index, reply);
    }

    @Override
    protected void onError(String message) {
        request.partFailed(index, message);
    }
}
