package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.reply.OwedReply;
import io.rcproxy.proxy.reply.Replies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A script that declares no keys (EVAL, EVALSHA, FCALL and their _RO forms with {@code numkeys 0}): it
 * runs first on the master of the client's last key, and when Redis Cluster answers that it touched a key
 * of another master ({@code Script attempted to access a non local key}), on the next master, until one
 * runs it or all have refused. Redis checks each key as the script reaches it, so a refused run executed
 * nothing keyed; what a script did before touching its first key (PUBLISH, reads of nothing) is done
 * again on the next master. See {@code docs/commands.md}, scripting.
 *
 * <p>Thread: the client's event loop. Ownership: holds a retained duplicate of the client's frame until
 * the last attempt is over; each attempt owns a duplicate of its own; the reply passes to the entry.
 */
final class KeylessScript {

    private static final byte[] NON_LOCAL = "-ERR Script attempted to access a non local key in a cluster node"
            .getBytes(StandardCharsets.US_ASCII);

    private final OwedReply entry;
    private final ByteBuf frame;
    private final List<ClusterNode> order;
    private final PartRouter router;
    private final int affinity;
    private final ByteBufAllocator alloc;
    private int next;

    private KeylessScript(OwedReply entry, ByteBuf frame, List<ClusterNode> order, PartRouter router, int affinity,
                          ByteBufAllocator alloc) {
        this.entry = entry;
        this.frame = frame;
        this.order = order;
        this.router = router;
        this.affinity = affinity;
        this.alloc = alloc;
    }

    /** Runs {@code frame} (not released here) on {@code first}, then the other {@code masters} as needed. */
    static void start(ByteBuf frame, ClusterNode first, List<ClusterNode> masters, OwedReply entry, PartRouter router,
                      int affinity, ByteBufAllocator alloc) {
        List<ClusterNode> order = new ArrayList<>(masters.size());
        order.add(first);
        for (ClusterNode master : masters) {
            if (master != first) {
                order.add(master);
            }
        }
        // Kept for the attempts to come; released when the last one is over.
        new KeylessScript(entry, frame.retainedDuplicate(), order, router, affinity, alloc).attempt();
    }

    private void attempt() {
        ClusterCommand attempt = new Attempt(this, frame.retainedDuplicate());
        attempt.affinity(affinity);
        router.sendTo(order.get(next++), attempt);
    }

    private void replied(ByteBuf reply) {
        if (entry.isAbandoned()) {
            reply.release();
            frame.release();
        } else if (next < order.size() && isNonLocal(reply)) {
            reply.release();
            attempt();
        } else {
            frame.release();
            entry.complete(reply);
        }
    }

    private void failed(String message) {
        frame.release();
        entry.complete(Replies.error(alloc, message));
    }

    static boolean isNonLocal(ByteBuf reply) {
        if (reply.readableBytes() < NON_LOCAL.length) {
            return false;
        }
        int start = reply.readerIndex();
        for (int i = 0; i < NON_LOCAL.length; i++) {
            if (reply.getByte(start + i) != NON_LOCAL[i]) {
                return false;
            }
        }
        return true;
    }

    /** One run on one master. */
    private static final class Attempt extends ClusterCommand {
        private final KeylessScript script;

        Attempt(KeylessScript script, ByteBuf frame) {
            super(frame, ClusterCommand.ANY_SLOT, 0);
            this.script = script;
        }

        @Override
        protected void onReply(ByteBuf reply) {
            script.replied(reply);
        }

        @Override
        protected void onError(String message) {
            script.failed(message);
        }
    }
}
