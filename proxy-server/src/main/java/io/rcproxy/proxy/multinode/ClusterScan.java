package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
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
 * proxy's, which moves on to the next master when this one is done, and is {@code 0} after the last. A
 * master that is done and gave no keys is followed at once by the next one in the same call, so an empty
 * keyspace answers {@code 0} and no keys to the first {@code SCAN 0}, as Redis does.
 *
 * <p>Thread: the client's event loop. Ownership: the rewritten frame belongs to the part; the node's reply
 * is copied into the client's and released.
 */
final class ClusterScan extends SplitRequest {

    private final ScanCursor cursor;
    private final List<ClusterNode> masters;
    /** The command name as the client sent it, and its arguments after the cursor (MATCH, COUNT, TYPE), encoded. */
    private final byte[] name;
    private final byte[] options;
    private final int argCount;
    private final PartRouter router;
    private final int affinity;

    private ClusterScan(OwedReply parent, ByteBufAllocator alloc, ScanCursor cursor, List<ClusterNode> masters,
                        byte[] name, byte[] options, int argCount, PartRouter router, int affinity) {
        super(parent, alloc, 1);
        this.cursor = cursor;
        this.masters = masters;
        this.name = name;
        this.options = options;
        this.argCount = argCount;
        this.router = router;
        this.affinity = affinity;
    }

    /** {@code masters} in the stable order cursors number them by. */
    static void start(RedisRequest request, List<ClusterNode> masters, OwedReply parent, PartRouter router,
                      int affinity, ByteBufAllocator alloc) {
        ScanCursor cursor = ScanCursor.decode(request.argString(1));
        if (cursor == null || cursor.master() >= masters.size()) {
            parent.complete(Replies.error(alloc, "ERR invalid cursor"));
            return;
        }
        int size = 0;
        for (int i = 0; i < request.argCount(); i++) {
            size += RequestFrames.argSize(request, i);
        }
        // Heap copies: a scan handed on to the next master keeps them, and they need no release.
        ByteBuf copy = alloc.heapBuffer(size);
        try {
            RequestFrames.copyArg(copy, request, 0);
            byte[] name = ByteBufUtil.getBytes(copy);
            copy.clear();
            for (int i = 2; i < request.argCount(); i++) {
                RequestFrames.copyArg(copy, request, i);
            }
            byte[] options = ByteBufUtil.getBytes(copy);
            new ClusterScan(parent, alloc, cursor, masters, name, options, request.argCount(), router, affinity).send();
        } finally {
            copy.release();
        }
    }

    /** Sends SCAN with this master's cursor and the client's options to the master the cursor names. */
    private void send() {
        ByteBuf frame = alloc.buffer(RequestFrames.headerSize() + 24 + name.length + cursor.nodeCursor().length()
                + options.length);
        RequestFrames.header(frame, argCount);
        frame.writeBytes(name);
        RequestFrames.bulk(frame, cursor.nodeCursor());
        frame.writeBytes(options);
        router.sendTo(masters.get(cursor.master()), part(0, frame, ClusterCommand.ANY_SLOT, 0, affinity));
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
        ScanCursor next = cursor.next(nodeNext, masters.size());
        if (next != null && nodeNext.equals("0") && ReplyFrames.arrayCount(reply.slice(cursorEnd,
                reply.writerIndex() - cursorEnd)) == 0) {
            // This master is done and gave nothing: go straight on, so an empty keyspace ends in one call.
            new ClusterScan(parent(), alloc, next, masters, name, options, argCount, router, affinity).send();
            return null;
        }
        String clientNext = next == null ? "0" : next.encode();
        int keys = reply.writerIndex() - cursorEnd;
        ByteBuf out = alloc.buffer(RequestFrames.headerSize() + clientNext.length() + 16 + keys);
        RequestFrames.header(out, 2);
        RequestFrames.bulk(out, clientNext);
        out.writeBytes(reply, cursorEnd, keys);
        return out;
    }
}
