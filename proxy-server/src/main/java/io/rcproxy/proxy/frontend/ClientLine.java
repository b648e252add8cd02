package io.rcproxy.proxy.frontend;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.UnixChannel;
import io.rcproxy.proxy.protocol.RespRequestDecoder;

/**
 * One line of CLIENT LIST or CLIENT INFO for a proxy client, with every field Redis 7.0 prints, in its
 * order, and Redis 7.2's {@code lib-name} and {@code lib-ver} at the end. The fields describe the client's
 * connection to the proxy: {@code qbuf} is what the proxy has read and not yet framed, {@code oll} the
 * replies it owes the client, {@code omem} the bytes written to the socket and not yet sent, {@code events}
 * whether the proxy is reading ({@code r}) and has writes waiting ({@code w}). Redis's own buffers have no
 * counterpart in the proxy: {@code argv-mem}, {@code multi-mem} and {@code obl} are 0 (a transaction's
 * commands are queued on its node). {@code redir}, {@code user} and {@code resp} are the client's tracking
 * redirect, proxy user and protocol.
 *
 * <p>Thread: any. Another client's line reads that client's state as {@link ClientSession} describes: it
 * may be a moment stale.
 */
final class ClientLine {

    private ClientLine() {
    }

    static String of(ClientSession s, long nowNanos) {
        Channel channel = s.channel();
        RespRequestDecoder decoder = s.decoder();
        int qbuf = decoder == null ? 0 : decoder.bufferedBytes();
        int rbs = decoder == null ? 0 : decoder.bufferCapacity();
        ClientRequests requests = s.requests();
        int owed = requests == null ? 0 : requests.replies().size();
        ChannelOutboundBuffer outbound = channel == null ? null : channel.unsafe().outboundBuffer();
        long omem = outbound == null ? 0 : outbound.totalPendingWriteBytes();
        StringBuilder line = new StringBuilder(320);
        line.append("id=").append(s.id())
                .append(" addr=").append(s.addr())
                .append(" laddr=").append(s.laddr())
                .append(" fd=").append(fd(channel))
                .append(" name=").append(s.name() == null ? "" : s.name())
                .append(" age=").append(s.ageSeconds(nowNanos))
                .append(" idle=").append(s.idleSeconds(nowNanos))
                .append(" flags=").append(flags(s))
                .append(" db=0 sub=").append(s.subscriptions())
                .append(" psub=").append(s.patterns())
                .append(" ssub=").append(s.shardSubscriptions())
                .append(" multi=").append(s.multi())
                .append(" qbuf=").append(qbuf)
                .append(" qbuf-free=").append(Math.max(0, rbs - qbuf))
                .append(" argv-mem=0 multi-mem=0")
                .append(" rbs=").append(rbs)
                .append(" rbp=").append(qbuf)
                .append(" obl=0 oll=").append(owed)
                .append(" omem=").append(omem)
                .append(" tot-mem=").append(rbs + omem)
                .append(" events=").append(events(channel))
                .append(" cmd=").append(s.lastCommand())
                .append(" user=").append(s.access().username())
                .append(" redir=").append(s.tracking() == null ? -1 : s.tracking().shownRedirect())
                .append(" resp=").append(s.protocol().version())
                .append(" lib-name=").append(s.libName())
                .append(" lib-ver=").append(s.libVersion());
        return line.toString();
    }

    /** Redis's flag letters, in its order; {@code N} when none applies. */
    static String flags(ClientSession s) {
        StringBuilder flags = new StringBuilder();
        if (s.isSubscriber()) {
            flags.append('P');
        }
        if (s.multi() >= 0) {
            flags.append('x');
        }
        if (s.isBlocked()) {
            flags.append('b');
        }
        if (s.tracking() != null) {
            flags.append(s.tracking().listFlags()); // t, R, B: Redis puts them here
        }
        if (s.readonly()) {
            flags.append('r');
        }
        if (s.noEvict()) {
            flags.append('e');
        }
        if (s.noTouch()) {
            flags.append('T');
        }

        return flags.length() == 0 ? "N" : flags.toString();
    }

    private static int fd(Channel channel) {
        return channel instanceof UnixChannel unix && unix.fd().isOpen() ? unix.fd().intValue() : -1;
    }

    private static String events(Channel channel) {
        if (channel == null) {
            return "";
        }
        return (channel.config().isAutoRead() ? "r" : "") + (channel.isWritable() ? "" : "w");
    }
}
