package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.OwedReply;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.Replies;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SCAN call over the whole cluster: the client's cursor names a master and that master's cursor
 * ({@link ScanCursor}); the call goes to that one master with its own cursor and every other argument
 * (MATCH, COUNT, TYPE) as the client sent it. The reply's keys pass through; its cursor is replaced by the
 * proxy's, which moves on to the next master when this one is done, and is {@code 0} after the last.
 *
 * <p>Thread: the client's event loop. Ownership: the rewritten frame belongs to the part; the node's reply
 * is copied into the client's and released.
 */
final class ClusterScan extends SplitRequest {

    private final ScanCursor cursor;
    private final int masters;

    private ClusterScan(OwedReply parent, ByteBufAllocator alloc, ScanCursor cursor, int masters) {
        super(parent, alloc, 1);
        this.cursor = cursor;
        this.masters = masters;
    }

    /** {@code masters} in the stable order cursors number them by. */
    static void start(RedisRequest request, List<ClusterNode> masters, OwedReply parent, PartRouter router,
                      int affinity, ByteBufAllocator alloc) {
        ScanCursor cursor = ScanCursor.decode(request.argString(1));
        if (cursor == null || cursor.master() >= masters.size()) {
            parent.complete(Replies.error(alloc, "ERR invalid cursor"));
            return;
        }
        int size = RequestFrames.headerSize() + 40;
        for (int i = 0; i < request.argCount(); i++) {
            size += RequestFrames.argSize(request, i);
        }
        ByteBuf frame = alloc.buffer(size);
        RequestFrames.header(frame, request.argCount());
        RequestFrames.copyArg(frame, request, 0);
        RequestFrames.bulk(frame, cursor.nodeCursor());
        for (int i = 2; i < request.argCount(); i++) {
            RequestFrames.copyArg(frame, request, i);
        }
        ClusterScan scan = new ClusterScan(parent, alloc, cursor, masters.size());
        router.sendTo(masters.get(cursor.master()), scan.part(0, frame, ClusterCommand.ANY_SLOT, 0, affinity));
    }

    @Override
    ByteBuf merge(ByteBuf[] replies) {
        ByteBuf reply = replies[0];
        if (ReplyFrames.isError(reply)) {
            return take(replies, 0);
        }
        if (ReplyFrames.arrayCount(reply) != 2) {
            throw new IllegalStateException("SCAN reply is not a pair");
        }
        int pos = ReplyFrames.arrayBody(reply);
        int cursorEnd = ReplyFrames.elementEnd(reply, pos);
        if (reply.getByte(pos) != '$') {
            throw new IllegalStateException("SCAN cursor is not a bulk string");
        }
        int text = ReplyFrames.lineEnd(reply, pos + 1) + 2;
        String nodeNext = reply.toString(text, cursorEnd - 2 - text, StandardCharsets.US_ASCII);
        ScanCursor next = cursor.next(nodeNext, masters);
        String clientNext = next == null ? "0" : next.encode();
        int keys = reply.writerIndex() - cursorEnd;
        ByteBuf out = alloc.buffer(RequestFrames.headerSize() + clientNext.length() + 16 + keys);
        RequestFrames.header(out, 2);
        RequestFrames.bulk(out, clientNext);
        out.writeBytes(reply, cursorEnd, keys);
        return out;
    }
}
