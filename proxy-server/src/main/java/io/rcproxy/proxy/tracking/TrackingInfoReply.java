package io.rcproxy.proxy.tracking;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.Replies;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * CLIENT TRACKINGINFO's reply as Redis 7.0 builds it: a map of {@code flags} (a set), {@code redirect}
 * and {@code prefixes} (an array, in byte order); in RESP2 the map and the set are flat arrays.
 *
 * <p>Returns a new buffer the caller owns.
 */
final class TrackingInfoReply {

    private TrackingInfoReply() {
    }

    static ByteBuf encode(ByteBufAllocator alloc, Protocol protocol, List<String> flags, long redirect,
                          Collection<TrackedKey> prefixes) {
        ByteBuf out = alloc.buffer(128);
        boolean resp3 = protocol == Protocol.RESP3;
        header(out, resp3 ? '%' : '*', resp3 ? 3 : 6);
        Replies.appendBulk(out, "flags");
        header(out, resp3 ? '~' : '*', flags.size());
        for (String flag : flags) {
            Replies.appendBulk(out, flag);
        }
        Replies.appendBulk(out, "redirect");
        Replies.appendInteger(out, redirect);
        Replies.appendBulk(out, "prefixes");
        header(out, '*', prefixes.size());
        for (TrackedKey prefix : prefixes) {
            header(out, '$', prefix.length());
            out.writeBytes(prefix.bytes());
            out.writeByte('\r').writeByte('\n');
        }
        return out;
    }

    private static void header(ByteBuf out, char type, int count) {
        out.writeByte(type);
        out.writeCharSequence(Integer.toString(count), StandardCharsets.US_ASCII);
        out.writeByte('\r').writeByte('\n');
    }
}
