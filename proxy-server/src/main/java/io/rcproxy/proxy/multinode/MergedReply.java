package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.rcproxy.proxy.command.Merge;
import io.rcproxy.proxy.reply.Replies;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client's one reply built from its parts' replies by the {@link Merge} the command table names: the
 * merges that need nothing but the replies, shared by {@link KeyFanOut} and {@link MasterBroadcast}.
 * KEYED_ARRAY, SCAN and INFO also need what their request knew ({@link KeyFanOut}, {@link ClusterScan},
 * {@link InfoCommand}) and merge there.
 *
 * <p>Stateless; runs on the client's event loop. Ownership as for {@link SplitRequest#merge}: returns a new
 * buffer or one of {@code replies} taken by nulling its slot, and validates before it allocates.
 */
final class MergedReply {

    private static final byte[] NOTBUSY = "-NOTBUSY".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private MergedReply() {
    }

    static ByteBuf of(Merge merge, ByteBuf[] replies, ByteBufAllocator alloc) {
        if (merge != Merge.ANY_OK) {
            ByteBuf error = SplitRequest.takeFirstError(replies);
            if (error != null) {
                return error;
            }
        }
        return switch (merge) {
            case SUM -> sum(replies, alloc);
            case ALL_OK -> Replies.ok();
            case ANY_OK -> anyOk(replies);
            case RUNNING_SCRIPT -> runningScript(replies);
            case SAME -> same(replies, alloc);
            case AND -> and(replies, alloc);
            case CONCAT -> concat(replies, alloc);
            case FIRST -> SplitRequest.take(replies, 0);
            case RANDOM -> random(replies);
            case UNION -> PubSubMerges.union(replies, alloc);
            case MAX -> PubSubMerges.max(replies, alloc);
            case NUMSUB -> PubSubMerges.numsub(replies, alloc);
            default -> throw new IllegalStateException(merge + " is not a merge of replies alone");
        };
    }

    /** One of the replies that is not the null bulk, picked at random; the null bulk when all are. */
    private static ByteBuf random(ByteBuf[] replies) {
        int found = 0;
        int pick = -1;
        for (int i = 0; i < replies.length; i++) {
            if (!isNullBulk(replies[i]) && ThreadLocalRandom.current().nextInt(++found) == 0) {
                pick = i; // reservoir sampling: each non-empty master equally likely
            }
        }
        return SplitRequest.take(replies, pick < 0 ? 0 : pick);
    }

    private static boolean isNullBulk(ByteBuf reply) {
        int at = reply.readerIndex();
        return reply.readableBytes() >= 3 && reply.getByte(at) == '$' && reply.getByte(at + 1) == '-';
    }

    /**
     * {@code +OK} (or whatever the first master that did not fail said), else the first error that is not
     * {@code -NOTBUSY}: SCRIPT KILL and FUNCTION KILL go to every master, and the one running the script
     * says why it was not killed ({@code -UNKILLABLE}, {@code -BUSY} for the other kind) while the rest
     * run nothing.
     */
    private static ByteBuf anyOk(ByteBuf[] replies) {
        for (int i = 0; i < replies.length; i++) {
            if (!ReplyFrames.isError(replies[i])) {
                return SplitRequest.take(replies, i);
            }
        }
        for (int i = 0; i < replies.length; i++) {
            if (!ReplyFrames.startsWith(replies[i], NOTBUSY)) {
                return SplitRequest.take(replies, i);
            }
        }
        return SplitRequest.take(replies, 0);
    }

    /** The reply whose second element (FUNCTION STATS' {@code running_script}) is not nil, else the first. */
    private static ByteBuf runningScript(ByteBuf[] replies) {
        for (int i = 0; i < replies.length; i++) {
            ByteBuf reply = replies[i];
            int value = ReplyFrames.elementEnd(reply, ReplyFrames.arrayBody(reply));
            if (!ReplyFrames.isNull(reply, value)) {
                return SplitRequest.take(replies, i);
            }
        }
        return SplitRequest.take(replies, 0);
    }

    private static ByteBuf sum(ByteBuf[] replies, ByteBufAllocator alloc) {
        long sum = 0;
        for (ByteBuf reply : replies) {
            sum += ReplyFrames.integer(reply);
        }
        return Replies.integer(alloc, sum);
    }

    private static ByteBuf same(ByteBuf[] replies, ByteBufAllocator alloc) {
        for (int i = 1; i < replies.length; i++) {
            if (!ByteBufUtil.equals(replies[0], replies[i])) {
                return Replies.error(alloc, "ERR masters disagree on the reply: the cluster is inconsistent");
            }
        }
        return SplitRequest.take(replies, 0);
    }

    private static ByteBuf concat(ByteBuf[] replies, ByteBufAllocator alloc) {
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

    private static ByteBuf and(ByteBuf[] replies, ByteBufAllocator alloc) {
        int count = ReplyFrames.arrayCount(replies[0]);
        long[] all = new long[Math.max(0, count)];
        Arrays.fill(all, 1);
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
