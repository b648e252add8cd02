package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.KeySlots;
import io.rcproxy.proxy.command.Merge;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.OwedReply;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.RedisErrors;
import io.rcproxy.proxy.reply.Replies;

/**
 * A fan_out command (MGET, MSET, DEL, UNLINK, EXISTS, TOUCH) whose keys span slots: one sub-request per
 * slot (same command, that slot's keys, and values for MSET, in the client's order), dispatched in
 * parallel, merged into one reply when all are back, by the command's {@link Merge} from the command
 * table: KEYED_ARRAY (MGET) puts
 * the values back in the client's key order; the others (ALL_OK for MSET, SUM for DEL...) are
 * {@link MergedReply}'s. Any part's error (the first, in slot order) is the reply instead.
 *
 * <p>Each sub-request is routed by its slot with the client's affinity, so it keeps its place among the
 * client's other commands to the same master, and follows MOVED/ASK with its own redirect budget.
 *
 * <p>Thread: the client's event loop. Ownership: sub-request frames are new buffers owned by their parts;
 * the client's request is only read.
 */
final class KeyFanOut extends SplitRequest {

    private final Merge merge;
    private final SlotGroups groups;

    KeyFanOut(OwedReply parent, ByteBufAllocator alloc, Merge merge, SlotGroups groups) {
        super(parent, alloc, groups.groupCount());
        this.merge = merge;
        this.groups = groups;
    }

    /**
     * Splits {@code request} (whose keys span slots) and dispatches the parts; {@code parent} gets the
     * merged reply, or an error at once when the request cannot be split.
     */
    static void start(CommandSpec spec, RedisRequest request, OwedReply parent, PartRouter router,
                      int affinity, int maxRedirects, ByteBufAllocator alloc) {
        int step = spec.step();
        int keys = KeySlots.keyCount(spec, request);
        if (keys <= 0 || (request.argCount() - 1) % step != 0) {
            // MSET with a key lacking its value: Redis's arity error, as a single node would give it.
            parent.complete(Replies.error(alloc, RedisErrors.wrongArity(spec)));
            return;
        }
        int[] keySlots = new int[keys];
        for (int n = 0; n < keys; n++) {
            int i = KeySlots.keyIndex(spec, request, n);
            keySlots[n] = SlotHash.slot(request.frame(), request.argOffset(i), request.argLength(i));
        }
        SlotGroups groups = SlotGroups.of(keySlots);
        KeyFanOut fanOut = new KeyFanOut(parent, alloc, spec.merge(), groups);
        for (int g = 0; g < groups.groupCount(); g++) {
            ByteBuf frame = subRequest(spec, request, groups, g, alloc);
            router.dispatch(fanOut.part(g, frame, groups.slot(g), maxRedirects, affinity));
        }
    }

    /** The command name, then group {@code g}'s keys (each with its values for MSET) in the client's order. */
    private static ByteBuf subRequest(CommandSpec spec, RedisRequest request, SlotGroups groups, int g,
                                      ByteBufAllocator alloc) {
        int step = spec.step();
        int size = RequestFrames.headerSize() + RequestFrames.argSize(request, 0);
        for (int p = groups.start(g); p < groups.end(g); p++) {
            int first = KeySlots.keyIndex(spec, request, groups.keyAt(p));
            for (int i = first; i < first + step; i++) {
                size += RequestFrames.argSize(request, i);
            }
        }
        FrameBuilder frame = new FrameBuilder(alloc, Math.min(size, FrameBuilder.SHARE_FROM));
        RequestFrames.header(frame.flat(), 1 + (groups.end(g) - groups.start(g)) * step);
        RequestFrames.arg(frame, request, 0);
        for (int p = groups.start(g); p < groups.end(g); p++) {
            int first = KeySlots.keyIndex(spec, request, groups.keyAt(p));
            for (int i = first; i < first + step; i++) {
                RequestFrames.arg(frame, request, i); // large values shared with the client's frame
            }
        }
        return frame.build();
    }

    @Override
    ByteBuf merge(ByteBuf[] replies) {
        if (merge != Merge.KEYED_ARRAY) {
            return MergedReply.of(merge, replies, alloc);
        }
        ByteBuf error = takeFirstError(replies);
        return error != null ? error : keyedArray(replies);
    }

    /** MGET: each part's elements put back at their keys' places in the client's order. */
    private ByteBuf keyedArray(ByteBuf[] replies) {
        int keys = groups.end(groups.groupCount() - 1);
        int[] part = new int[keys];
        int[] from = new int[keys];
        int[] to = new int[keys];
        int size = RequestFrames.headerSize();
        for (int g = 0; g < replies.length; g++) {
            ByteBuf reply = replies[g];
            if (ReplyFrames.arrayCount(reply) != groups.end(g) - groups.start(g)) {
                throw new IllegalStateException("MGET part has the wrong number of values");
            }
            int pos = ReplyFrames.arrayBody(reply);
            for (int p = groups.start(g); p < groups.end(g); p++) {
                int key = groups.keyAt(p);
                int end = ReplyFrames.elementEnd(reply, pos);
                part[key] = g;
                from[key] = pos;
                to[key] = end;
                size += end - pos;
                pos = end;
            }
        }
        FrameBuilder out = new FrameBuilder(alloc, Math.min(size, FrameBuilder.SHARE_FROM));
        RequestFrames.header(out.flat(), keys);
        for (int key = 0; key < keys; key++) {
            // Large values are shared with the part's reply (still counted in the budget), not copied.
            out.range(replies[part[key]], from[key], to[key] - from[key]);
        }
        return out.build();
    }
}
