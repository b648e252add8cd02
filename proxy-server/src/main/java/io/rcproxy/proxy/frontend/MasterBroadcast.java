package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.rcproxy.cluster.ClusterCommand;
import io.rcproxy.cluster.dispatch.LoopRouter;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.Replies;
import io.rcproxy.proxy.reply.ReplyFrames;
import java.util.List;

/**
 * A command sent as the same bytes to several masters (usually all of them), whose replies merge into one:
 * KEYS concatenates, DBSIZE sums, FLUSHALL wants every {@code +OK}, SCRIPT EXISTS ANDs, SCRIPT LOAD wants
 * every master to agree. Unless the merge says otherwise, the first master's error is the reply.
 *
 * <p>Parts go straight to their node with no redirect budget: a master's TRYAGAIN or CLUSTERDOWN must not
 * be retried on another master, so it is reported as it is.
 *
 * <p>Thread: the client's event loop. Ownership: each part holds a retained duplicate of the client's
 * frame, released when the part finishes; the caller still releases the request itself.
 */
class MasterBroadcast extends SplitRequest {

    /** How the masters' replies become the client's. */
    enum Merge {
        /** Arrays, concatenated in master order (KEYS). */
        CONCAT,
        /** Integers, summed (DBSIZE). */
        SUM,
        /** {@code +OK} once every master said so (FLUSHALL, SCRIPT FLUSH). */
        ALL_OK,
        /** The first master's reply, which every other must equal (SCRIPT LOAD's sha). */
        SAME,
        /** The first master's reply, once none failed (FUNCTION LOAD, RANDOMKEY from one master). */
        FIRST,
        /** Arrays of 0/1, ANDed element by element: a script exists only if it exists everywhere. */
        AND,
        /** {@code +OK} if any master said so, else the first error (SCRIPT KILL: one master runs it). */
        ANY_OK
    }

    private final Merge kind;

    MasterBroadcast(PendingReply parent, ByteBufAllocator alloc, Merge kind, int parts) {
        super(parent, alloc, parts);
        this.kind = kind;
    }

    /** Sends {@code frame} (not released here) to each of {@code nodes}; {@code parent} gets the merge. */
    static void start(ByteBuf frame, List<ClusterNode> nodes, Merge kind, PendingReply parent, LoopRouter router,
                      int affinity, ByteBufAllocator alloc) {
        send(new MasterBroadcast(parent, alloc, kind, nodes.size()), frame, nodes, router, affinity);
    }

    static void send(SplitRequest split, ByteBuf frame, List<ClusterNode> nodes, LoopRouter router, int affinity) {
        for (int i = 0; i < nodes.size(); i++) {
            // Each part owns a duplicate of the frame (own indices, shared bytes); the part releases it.
            ByteBuf copy = frame.retainedDuplicate();
            router.sendTo(nodes.get(i), split.part(i, copy, ClusterCommand.ANY_SLOT, 0, affinity));
        }
    }

    @Override
    ByteBuf merge(ByteBuf[] replies) {
        if (kind == Merge.ANY_OK) {
            for (int i = 0; i < replies.length; i++) {
                if (!ReplyFrames.isError(replies[i])) {
                    return take(replies, i);
                }
            }
            return take(replies, 0);
        }
        ByteBuf error = takeFirstError(replies);
        if (error != null) {
            return error;
        }
        return switch (kind) {
            case CONCAT -> concat(replies);
            case SUM -> {
                long sum = 0;
                for (ByteBuf reply : replies) {
                    sum += ReplyFrames.integer(reply);
                }
                yield Replies.integer(alloc, sum);
            }
            case ALL_OK -> Replies.ok();
            case SAME -> {
                for (int i = 1; i < replies.length; i++) {
                    if (!ByteBufUtil.equals(replies[0], replies[i])) {
                        yield Replies.error(alloc, "ERR masters disagree on the reply: the cluster is inconsistent");
                    }
                }
                yield take(replies, 0);
            }
            case FIRST -> take(replies, 0);
            case AND -> and(replies);
            default -> throw new IllegalStateException("unhandled merge " + kind);
        };
    }

    private ByteBuf concat(ByteBuf[] replies) {
        long count = 0;
        int size = RequestFrames.headerSize();
        for (ByteBuf reply : replies) {
            count += Math.max(0, ReplyFrames.arrayCount(reply));
            size += reply.writerIndex() - ReplyFrames.arrayBody(reply);
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalStateException("merged array too large");
        }
        ByteBuf out = alloc.buffer(size);
        RequestFrames.header(out, (int) count);
        for (ByteBuf reply : replies) {
            int body = ReplyFrames.arrayBody(reply);
            out.writeBytes(reply, body, reply.writerIndex() - body);
        }
        return out;
    }

    private ByteBuf and(ByteBuf[] replies) {
        int count = ReplyFrames.arrayCount(replies[0]);
        long[] all = new long[Math.max(0, count)];
        java.util.Arrays.fill(all, 1);
        for (ByteBuf reply : replies) {
            if (ReplyFrames.arrayCount(reply) != count) {
                throw new IllegalStateException("masters answered with arrays of different lengths");
            }
            int pos = ReplyFrames.arrayBody(reply);
            for (int i = 0; i < count; i++) {
                int end = ReplyFrames.elementEnd(reply, pos);
                if (reply.getByte(pos) != ':') {
                    throw new IllegalStateException("expected integers");
                }
                if (ReplyFrames.decimal(reply, pos + 1, end - 2) == 0) {
                    all[i] = 0;
                }
                pos = end;
            }
        }
        ByteBuf out = alloc.buffer(RequestFrames.headerSize() + 4 * all.length);
        RequestFrames.header(out, all.length);
        for (long value : all) {
            Replies.appendInteger(out, value);
        }
        return out;
    }
}
