package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.resp.CommandFrame;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.Shard;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.reply.OwedReply;
import io.rcproxy.proxy.reply.Replies;
import java.util.List;

/**
 * WAIT outside a transaction. Redis answers WAIT for the writes its connection made: the replication
 * offset after the connection's last write. A client's writes through the proxy travel on one shared
 * connection per master (its affinity connection), so WAIT is sent on that same connection of each
 * master the client wrote to since its last WAIT; that connection's last write is the client's or a later
 * one, so the count covers the client's writes, exactly or more strictly. The answer is the minimum over
 * those masters: the replicas known to hold every write. No write since the last WAIT: nothing to wait
 * for, and the answer is the fewest replicas a master has, at once.
 *
 * <p>A WAIT blocks the connection it runs on, and that connection is shared: so each master is asked for
 * no more replicas than it has (asking for more can only end by the timeout, with the same count), and the
 * timeout is capped (0, for ever, included) at {@code maxWaitMillis}; an unreachable count is answered
 * when the cap runs out rather than when the client's timeout would.
 *
 * <p>Thread: the client's event loop. Ownership: each part owns the WAIT frame built for its master.
 */
final class WaitReplicas extends SplitRequest {

    private WaitReplicas(OwedReply parent, ByteBufAllocator alloc, int parts) {
        super(parent, alloc, parts);
    }

    /** {@code written}: the masters written to since the last WAIT (empty: none). */
    static void start(long numReplicas, long timeoutMillis, long maxWaitMillis, List<ClusterNode> written,
                      OwedReply parent, PartRouter router, int affinity, ByteBufAllocator alloc) {
        SlotMap map = router.slotMap();
        if (written.isEmpty()) {
            parent.complete(Replies.integer(alloc, fewestReplicas(map)));
            return;
        }
        long timeout = timeoutMillis == 0 ? maxWaitMillis : Math.min(timeoutMillis, maxWaitMillis);
        WaitReplicas wait = new WaitReplicas(parent, alloc, written.size());
        for (int i = 0; i < written.size(); i++) {
            ClusterNode node = written.get(i);
            long asked = Math.min(numReplicas, replicasOf(map, node));
            ByteBuf frame = CommandFrame.encode(alloc, "WAIT", Long.toString(asked), Long.toString(timeout));
            router.sendTo(node, wait.part(i, frame, ClusterCommand.ANY_SLOT, 0, affinity));
        }
    }

    static int replicasOf(SlotMap map, ClusterNode master) {
        for (Shard shard : map.shards()) {
            if (shard.master().equals(master)) {
                return shard.replicas().size();
            }
        }
        return 0;
    }

    private static long fewestReplicas(SlotMap map) {
        long fewest = -1;
        for (ClusterNode master : map.masters()) {
            long replicas = replicasOf(map, master);
            fewest = fewest < 0 ? replicas : Math.min(fewest, replicas);
        }
        return Math.max(0, fewest);
    }

    @Override
    ByteBuf merge(ByteBuf[] replies) {
        ByteBuf error = takeFirstError(replies);
        if (error != null) {
            return error;
        }
        long min = Long.MAX_VALUE;
        for (ByteBuf reply : replies) {
            min = Math.min(min, ReplyFrames.integer(reply));
        }
        return Replies.integer(alloc, min);
    }
}
