package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.proxy.command.NotificationChannels;
import io.rcproxy.proxy.reply.Replies;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The merges of PUBSUB's introspection replies over the masters (see {@code docs/commands.md}, pub/sub):
 * CHANNELS and SHARDCHANNELS are a union (a keyspace notification channel is subscribed on every
 * master, an ordinary one on one master), NUMPAT the largest count (every pattern is subscribed on every
 * master), NUMSUB and SHARDNUMSUB the counts added, but the largest for notification channels.
 *
 * <p>Stateless; runs on the client's event loop. Ownership as for {@link SplitRequest#merge}: validates
 * every reply before it allocates, and returns a new buffer.
 */
final class PubSubMerges {

    private PubSubMerges() {
    }

    /** Bulk-string arrays joined, each element once, in the order first seen. */
    static ByteBuf union(ByteBuf[] replies, ByteBufAllocator alloc) {
        // Slices of the replies, compared by content: an element's encoding is its identity.
        Set<ByteBuf> names = new LinkedHashSet<>();
        int size = RequestFrames.headerSize();
        for (ByteBuf reply : replies) {
            int count = ReplyFrames.arrayCount(reply);
            int pos = ReplyFrames.arrayBody(reply);
            for (int i = 0; i < count; i++) {
                int end = ReplyFrames.elementEnd(reply, pos);
                if (names.add(reply.slice(pos, end - pos))) {
                    size += end - pos;
                }
                pos = end;
            }
        }
        ByteBuf out = alloc.buffer(size);
        RequestFrames.header(out, names.size());
        for (ByteBuf name : names) {
            out.writeBytes(name, name.readerIndex(), name.readableBytes());
        }
        return out;
    }

    /** The largest integer reply. */
    static ByteBuf max(ByteBuf[] replies, ByteBufAllocator alloc) {
        long max = 0;
        for (ByteBuf reply : replies) {
            max = Math.max(max, ReplyFrames.integer(reply));
        }
        return Replies.integer(alloc, max);
    }

    /** {@code [name, count, ...]} arrays, the same names in the same order on every master: counts merged. */
    static ByteBuf numsub(ByteBuf[] replies, ByteBufAllocator alloc) {
        ByteBuf first = replies[0];
        int count = ReplyFrames.arrayCount(first);
        if (count < 0 || count % 2 != 0) {
            throw new IllegalStateException("expected name/count pairs");
        }
        long[] counts = new long[count / 2];
        boolean[] notification = new boolean[count / 2];
        int[] nameStart = new int[count / 2];
        int[] nameEnd = new int[count / 2];
        int pos = ReplyFrames.arrayBody(first);
        for (int i = 0; i < counts.length; i++) {
            nameStart[i] = pos;
            pos = ReplyFrames.elementEnd(first, pos);
            nameEnd[i] = pos;
            int content = ReplyFrames.lineEnd(first, nameStart[i] + 1) + 2;
            notification[i] = first.getByte(nameStart[i]) == '$'
                    && NotificationChannels.isNotification(first, content, nameEnd[i] - 2 - content);
            pos = ReplyFrames.elementEnd(first, pos);
        }
        for (ByteBuf reply : replies) {
            if (ReplyFrames.arrayCount(reply) != count) {
                throw new IllegalStateException("masters answered with arrays of different lengths");
            }
            int at = ReplyFrames.arrayBody(reply);
            for (int i = 0; i < counts.length; i++) {
                at = ReplyFrames.elementEnd(reply, at);
                int end = ReplyFrames.elementEnd(reply, at);
                if (reply.getByte(at) != ':') {
                    throw new IllegalStateException("expected integers");
                }
                long n = ReplyFrames.decimal(reply, at + 1, end - 2);
                counts[i] = notification[i] ? Math.max(counts[i], n) : counts[i] + n;
                at = end;
            }
        }
        ByteBuf out = alloc.buffer(RequestFrames.headerSize() + first.readableBytes() + 8 * counts.length);
        RequestFrames.header(out, count);
        for (int i = 0; i < counts.length; i++) {
            out.writeBytes(first, nameStart[i], nameEnd[i] - nameStart[i]);
            Replies.appendInteger(out, counts[i]);
        }
        return out;
    }
}
