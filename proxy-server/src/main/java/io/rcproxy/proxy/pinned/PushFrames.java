package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.Replies;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Reads and writes the few pub/sub frames the proxy must understand: it tells a published message
 * ({@code message}, {@code pmessage}, {@code smessage}) from a reply to a (un)subscribe request, and builds
 * the requests and confirmations it sends or answers itself. Channel names are kept as ISO-8859-1 strings,
 * one char per byte, so any binary name survives the round trip. Stateless; any thread.
 */
final class PushFrames {

    private static final byte[] MESSAGE = ascii("message");
    private static final byte[] PMESSAGE = ascii("pmessage");
    private static final byte[] SMESSAGE = ascii("smessage");
    private static final byte[] CRLF = {'\r', '\n'};

    private PushFrames() {
    }

    /**
     * Whether {@code frame} is a published message rather than a reply to a request: an array (RESP2) or a
     * push (RESP3) whose first element is one of the message kinds. Does not move indexes.
     */
    static boolean isMessage(ByteBuf frame) {
        int start = frame.readerIndex();
        int end = frame.writerIndex();
        if (end - start < 16 || (frame.getByte(start) != '*' && frame.getByte(start) != '>')) {
            return false;
        }
        int firstLine = frame.indexOf(start, end, (byte) '\n');
        if (firstLine < 0 || firstLine + 1 >= end || frame.getByte(firstLine + 1) != '$') {
            return false;
        }
        int bulkLine = frame.indexOf(firstLine + 1, end, (byte) '\n');
        if (bulkLine < 0) {
            return false;
        }
        int word = bulkLine + 1;
        return matches(frame, word, end, MESSAGE) || matches(frame, word, end, PMESSAGE)
                || matches(frame, word, end, SMESSAGE);
    }

    private static boolean matches(ByteBuf frame, int at, int end, byte[] word) {
        if (at + word.length + 1 >= end || frame.getByte(at + word.length) != '\r') {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (frame.getByte(at + i) != word[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where a {@code pmessage} frame's channel is (RESP2 array or RESP3 push): its index in the high 32 bits, its length in the low 32;
     * -1 for any other frame. Does not move indexes.
     */
    static long patternMessageChannel(ByteBuf frame) {
        int start = frame.readerIndex();
        int end = frame.writerIndex();
        if (end - start < 4 || (frame.getByte(start) != '*' && frame.getByte(start) != '>') || frame.getByte(start + 1) != '4') {
            return -1;
        }
        int pos = frame.indexOf(start, end, (byte) '\n') + 1;
        int word = frame.indexOf(pos, end, (byte) '\n') + 1;
        if (pos <= 0 || word <= 0 || !matches(frame, word, end, PMESSAGE)) {
            return -1;
        }
        pos = skipBulk(frame, word + PMESSAGE.length + 2, end); // past the pattern
        if (pos < 0 || pos >= end || frame.getByte(pos) != '$') {
            return -1;
        }
        int lf = frame.indexOf(pos, end, (byte) '\n');
        if (lf < 0) {
            return -1;
        }
        int length = Integer.parseInt(frame.toString(pos + 1, lf - 1 - (pos + 1), StandardCharsets.US_ASCII));
        if (length < 0 || lf + 1 + length > end) {
            return -1;
        }
        return ((long) (lf + 1) << 32) | length;
    }

    /** Index just past the bulk string at {@code pos}, or -1. */
    private static int skipBulk(ByteBuf frame, int pos, int end) {
        if (pos >= end || frame.getByte(pos) != '$') {
            return -1;
        }
        int lf = frame.indexOf(pos, end, (byte) '\n');
        if (lf < 0) {
            return -1;
        }
        int length = Integer.parseInt(frame.toString(pos + 1, lf - 1 - (pos + 1), StandardCharsets.US_ASCII));
        return lf + 1 + length + 2;
    }

    /**
     * Makes a message or confirmation that came in one protocol fit the client's, when the client changed
     * protocol (HELLO) after its subscription connection was opened: a push and an array differ only in their
     * type byte, which is overwritten in place. The frame is a slice of bytes already read, which nothing
     * else looks at again.
     */
    static void fit(ByteBuf frame, Protocol protocol) {
        int start = frame.readerIndex();
        byte type = frame.getByte(start);
        if (protocol.resp3() && type == '*') {
            frame.setByte(start, '>');
        } else if (!protocol.resp3() && type == '>') {
            frame.setByte(start, '*');
        }
    }

    /** An error reply ({@code -...}), e.g. a MOVED answering SSUBSCRIBE. */
    static boolean isError(ByteBuf frame) {
        return frame.isReadable() && frame.getByte(frame.readerIndex()) == '-';
    }

    /** The request {@code command name...}; a new buffer the caller owns. */
    static ByteBuf command(ByteBufAllocator alloc, String command, Collection<String> names) {
        ByteBuf out = alloc.buffer(32 + names.size() * 24);
        Replies.arrayHeader(out, names.size() + 1);
        appendBulk(out, command);
        for (String name : names) {
            appendBulk(out, name);
        }
        return out;
    }

    /**
     * The confirmations Redis would send for {@code names} (one with a nil name when there are none),
     * each with {@code remainingCount}: what an unsubscribe answers when no connection holds the names.
     * A new buffer the caller owns.
     */
    static ByteBuf confirmations(ByteBufAllocator alloc, Protocol protocol, String kind, Collection<String> names,
            int remainingCount) {
        ByteBuf out = alloc.buffer(64 + names.size() * 32);
        if (names.isEmpty()) {
            appendConfirmation(out, protocol, kind, null, remainingCount);
        }
        for (String name : names) {
            appendConfirmation(out, protocol, kind, name, remainingCount);
        }
        return out;
    }

    /**
     * Appends Redis's confirmation {@code [kind, name or null, count]} to {@code out}: an array in RESP2, a
     * push in RESP3 (where confirmations are pushes too, as in Redis 7).
     */
    static void appendConfirmation(ByteBuf out, Protocol protocol, String kind, String name, int count) {
        Replies.pushHeader(out, protocol, 3);
        appendBulk(out, kind);
        if (name == null) {
            Replies.appendNull(out, protocol);
        } else {
            appendBulk(out, name);
        }
        Replies.appendInteger(out, count);
    }

    /** {@code *2 $4 pong $n arg}: what PING answers in RESP2 subscriber mode (RESP3 answers as usual). */
    static ByteBuf pong(ByteBufAllocator alloc, Protocol protocol, String argument) {
        ByteBuf out = alloc.buffer(32 + argument.length());
        Replies.arrayHeader(out, 2);
        appendBulk(out, "pong");
        appendBulk(out, argument);
        return out;
    }

    private static void appendBulk(ByteBuf out, String latin1) {
        out.writeByte('$');
        out.writeCharSequence(Integer.toString(latin1.length()), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
        out.writeCharSequence(latin1, StandardCharsets.ISO_8859_1);
        out.writeBytes(CRLF);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
