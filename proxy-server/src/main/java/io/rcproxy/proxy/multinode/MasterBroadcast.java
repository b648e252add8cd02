package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.command.Merge;
import io.rcproxy.proxy.reply.OwedReply;
import java.util.List;

/**
 * A command sent as the same bytes to several masters (usually all of them), whose replies become one by
 * the command's {@link Merge} (see {@link MergedReply}): KEYS concatenates, DBSIZE sums, FLUSHALL wants
 * every {@code +OK}, SCRIPT EXISTS ANDs, SCRIPT LOAD wants every master to agree.
 *
 * <p>Parts go straight to their node with no redirect budget: a master's TRYAGAIN or CLUSTERDOWN must not
 * be retried on another master, so it is reported as it is.
 *
 * <p>Thread: the client's event loop. Ownership: each part holds a retained duplicate of the client's
 * frame, released when the part finishes; the caller still releases the request itself.
 */
final class MasterBroadcast extends SplitRequest {

    private final Merge merge;

    MasterBroadcast(OwedReply parent, ByteBufAllocator alloc, Merge merge, int parts) {
        super(parent, alloc, parts);
        this.merge = merge;
    }

    /** Sends {@code frame} (not released here) to each of {@code nodes}; {@code parent} gets the merge. */
    static void start(ByteBuf frame, List<ClusterNode> nodes, Merge merge, OwedReply parent, PartRouter router,
                      int affinity, ByteBufAllocator alloc) {
        send(new MasterBroadcast(parent, alloc, merge, nodes.size()), frame, nodes, router, affinity);
    }

    static void send(SplitRequest split, ByteBuf frame, List<ClusterNode> nodes, PartRouter router, int affinity) {
        // A kill or FUNCTION STATS must overtake the busy script on the shared connection: one of its own.
        boolean alone = split instanceof MasterBroadcast broadcast && broadcast.merge.partsAlone();
        for (int i = 0; i < nodes.size(); i++) {
            // Each part owns a duplicate of the frame (own indices, shared bytes); the part releases it.
            ByteBuf copy = frame.retainedDuplicate();
            SplitPart part = split.part(i, copy, ClusterCommand.ANY_SLOT, 0, affinity);
            if (alone) {
                router.sendAlone(nodes.get(i), part);
            } else {
                router.sendTo(nodes.get(i), part);
            }
        }
    }

    @Override
    ByteBuf merge(ByteBuf[] replies) {
        return MergedReply.of(merge, replies, alloc);
    }
}
