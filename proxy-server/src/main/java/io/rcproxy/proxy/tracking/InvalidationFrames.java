package io.rcproxy.proxy.tracking;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.proxy.reply.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The frames Redis 7.0 sends a tracking client, byte for byte: the {@code invalidate} push to a RESP3
 * connection, the {@code __redis__:invalidate} message to a RESP2 connection in subscriber mode (REDIRECT),
 * and {@code tracking-redir-broken}. A flush (FLUSHALL, or the proxy losing a backend) has no keys: its
 * payload is a null in the protocol of the client that tracks, not of the one receiving it, as in Redis.
 *
 * <p>Every method returns a new buffer the caller owns.
 */
final class InvalidationFrames {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] PUSH_INVALIDATE = ascii(">2\r\n$10\r\ninvalidate\r\n");
    private static final byte[] MESSAGE_INVALIDATE = ascii("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n");
    private static final byte[] PUSH_REDIR_BROKEN = ascii(">2\r\n$21\r\ntracking-redir-broken\r\n");

    private static final byte[] NULL2 = ascii("$-1\r\n");
    private static final byte[] NULL3 = ascii("_\r\n");

    private InvalidationFrames() {
    }

    /**
     * An invalidation of {@code keys} (null: a flush) for a connection speaking {@code receiver}: a push in
     * RESP3, a pub/sub message in RESP2 (the caller checks the RESP2 receiver is a subscriber).
     */
    static ByteBuf invalidate(ByteBufAllocator alloc, Protocol receiver, List<TrackedKey> keys, Protocol tracker) {
        byte[] head = receiver == Protocol.RESP3 ? PUSH_INVALIDATE : MESSAGE_INVALIDATE;
        int size = head.length + 16;
        if (keys != null) {
            for (TrackedKey key : keys) {
                size += key.length() + 16;
            }
        }
        ByteBuf out = alloc.buffer(size);
        out.writeBytes(head);
        if (keys == null) {
            out.writeBytes(tracker == Protocol.RESP3 ? NULL3 : NULL2);
            return out;
        }
        out.writeByte('*');
        decimal(out, keys.size());
        out.writeBytes(CRLF);
        for (TrackedKey key : keys) {
            out.writeByte('$');
            decimal(out, key.length());
            out.writeBytes(CRLF);
            out.writeBytes(key.bytes());
            out.writeBytes(CRLF);
        }
        return out;
    }

    /** {@code >2 tracking-redir-broken <id>}: sent to a RESP3 tracker whose REDIRECT target has gone. */
    static ByteBuf redirectBroken(ByteBufAllocator alloc, long id) {
        ByteBuf out = alloc.buffer(PUSH_REDIR_BROKEN.length + 24);
        out.writeBytes(PUSH_REDIR_BROKEN);
        out.writeByte(':');
        decimal(out, id);
        out.writeBytes(CRLF);
        return out;
    }

    private static void decimal(ByteBuf out, long value) {
        out.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
