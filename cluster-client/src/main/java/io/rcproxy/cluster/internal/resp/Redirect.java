package io.rcproxy.cluster.internal.resp;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.resp.RedirectKind;
import io.rcproxy.cluster.resp.RespDecimal;
import io.rcproxy.cluster.resp.RespProtocolException;
import io.rcproxy.cluster.slot.SlotHash;

/**
 * A parsed {@code -MOVED <slot> <host>:<port>} or {@code -ASK <slot> <host>:<port>} error. The host
 * is whatever precedes the last colon, so IPv6 addresses ({@code ::1:6380}) and hostnames work; it
 * is empty when Redis 7 does not know the endpoint ({@code -MOVED 3999 :6380}), which means "the
 * host you asked".
 *
 * <p>Immutable. {@link #parse(ByteBuf)} runs on the event loop that received the reply; it reads the
 * frame in place and leaves its indices and reference count alone.
 *
 * @param kind {@link RedirectKind#MOVED} or {@link RedirectKind#ASK}
 * @param slot the slot the key hashed to, 0 to 16383
 * @param host the target's host, or empty when unknown
 * @param port the target's port
 */
public record Redirect(RedirectKind kind, int slot, String host, int port) {

    public Redirect {
        if (kind != RedirectKind.MOVED && kind != RedirectKind.ASK) {
            throw new IllegalArgumentException("not a MOVED or ASK redirect: " + kind);
        }
        if (slot < 0 || slot >= SlotHash.SLOT_COUNT) {
            throw new IllegalArgumentException("slot out of range: " + slot);
        }
        if (host == null) {
            throw new NullPointerException("host");
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Parses the MOVED or ASK error frame starting at {@code errorFrame.readerIndex()}.
     *
     * @throws IllegalArgumentException if the frame is not a MOVED or ASK error
     * @throws RespProtocolException    if it is, but its slot or address is malformed
     */
    public static Redirect parse(ByteBuf errorFrame) {
        RedirectKind kind = RedirectKind.of(errorFrame);
        if (kind != RedirectKind.MOVED && kind != RedirectKind.ASK) {
            throw new IllegalArgumentException("not a MOVED or ASK error");
        }
        int slotStart = errorFrame.readerIndex() + kind.prefixLength() + 1;
        int lineEnd = errorFrame.indexOf(slotStart, errorFrame.writerIndex(), (byte) '\r');
        if (lineEnd < 0) {
            lineEnd = errorFrame.writerIndex();
        }
        int space = errorFrame.indexOf(slotStart, lineEnd, (byte) ' ');
        if (space < 0) {
            throw new RespProtocolException("invalid redirect: no address");
        }
        long slot = RespDecimal.read(errorFrame, slotStart, space, "invalid redirect slot");
        int colon = lastColon(errorFrame, space + 1, lineEnd);
        if (colon < 0) {
            throw new RespProtocolException("invalid redirect: no port");
        }
        long port = RespDecimal.read(errorFrame, colon + 1, lineEnd, "invalid redirect port");
        if (slot < 0 || slot >= SlotHash.SLOT_COUNT || port < 0 || port > 0xffff) {
            throw new RespProtocolException("invalid redirect: slot or port out of range");
        }
        String host = errorFrame.toString(space + 1, colon - space - 1, UTF_8);
        return new Redirect(kind, (int) slot, host, (int) port);
    }

    /** True when Redis did not say which host, so the node that answered is meant. */
    boolean hostUnknown() {
        return host.isEmpty();
    }

    private static int lastColon(ByteBuf buf, int from, int to) {
        // The last colon, because an IPv6 host holds colons of its own.
        for (int i = to - 1; i >= from; i--) {
            if (buf.getByte(i) == ':') {
                return i;
            }
        }
        return -1;
    }
}
