package io.rcproxy.proxy.frontend;

import io.netty.channel.Channel;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.tracking.ClientTracking;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What the proxy remembers about one client connection itself: its id, CLIENT SETNAME name, addresses,
 * and the few facts CLIENT LIST shows (age, idle time, last command, subscriptions, transaction state).
 *
 * <p>Thread: written only on the client's event loop. CLIENT LIST on another loop reads these fields
 * without synchronisation: a line may be a moment stale (a 64-bit JVM never tears them), which is all a
 * diagnostic listing needs and keeps the per-request cost to two plain stores.
 */
final class ClientSession {

    private final long id;
    private final long createdNanos = System.nanoTime();
    private Channel channel;
    private String name;
    private String lastCommand = "NULL";
    private long lastInteractionNanos = createdNanos;
    private int subscriptions;
    private int patterns;
    private int shardSubscriptions;
    /** Commands queued in MULTI, or -1 outside a transaction (CLIENT LIST's {@code multi=}). */
    private int multi = -1;
    private boolean blocked;
    /** Set by HELLO, back to RESP2 on RESET; the replies the proxy builds follow it. */
    private volatile Protocol protocol = Protocol.RESP2;
    /** CLIENT TRACKING state; found by id when another client redirects its invalidations here. */
    private ClientTracking tracking;

    ClientSession(long id) {
        this.id = id;
    }

    long id() {
        return id;
    }

    String name() {
        return name;
    }

    void name(String newName) {
        this.name = newName;
    }

    void channel(Channel ch) {
        this.channel = ch;
    }

    Channel channel() {
        return channel;
    }

    /** A request arrived: remember its command (a table constant, so no allocation) and when. */
    void interaction(String command, long nowNanos) {
        lastCommand = command;
        lastInteractionNanos = nowNanos;
    }

    boolean isSubscriber() {
        return subscriptions + patterns + shardSubscriptions > 0;
    }

    void subscriptions(int channels, int patternCount, int shardChannels) {
        this.subscriptions = channels;
        this.patterns = patternCount;
        this.shardSubscriptions = shardChannels;
    }

    void multi(int queued) {
        this.multi = queued;
    }

    int multi() {
        return multi;
    }

    void blocked(boolean on) {
        this.blocked = on;
    }

    Protocol protocol() {
        return protocol;
    }

    void protocol(Protocol newProtocol) {
        this.protocol = newProtocol;
    }

    ClientTracking tracking() {
        return tracking;
    }

    void tracking(ClientTracking state) {
        this.tracking = state;
    }

    String addr() {
        return format(channel == null ? null : channel.remoteAddress());
    }

    String laddr() {
        return format(channel == null ? null : channel.localAddress());
    }

    /** One line of CLIENT LIST, in Redis's field order (a subset of its fields), without the newline. */
    String describe(long nowNanos) {
        StringBuilder flags = new StringBuilder();
        if (isSubscriber()) {
            flags.append('P');
        }
        if (multi >= 0) {
            flags.append('x');
        }
        if (blocked) {
            flags.append('b');
        }
        if (tracking != null) {
            flags.append(tracking.listFlags());
        }
        if (flags.length() == 0) {
            flags.append('N');
        }
        return "id=" + id + " addr=" + addr() + " laddr=" + laddr() + " fd=-1 name=" + (name == null ? "" : name)
                + " age=" + (nowNanos - createdNanos) / 1_000_000_000L + " idle=" + (nowNanos - lastInteractionNanos) / 1_000_000_000L
                + " flags=" + flags + " db=0 sub=" + subscriptions + " psub=" + patterns + " ssub=" + shardSubscriptions
                + " multi=" + multi + " cmd=" + lastCommand + " user=default"
                + " redir=" + (tracking == null ? -1 : tracking.shownRedirect())
                + " resp=" + (protocol == Protocol.RESP3 ? 3 : 2);
    }

    private static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return address == null ? "?" : address.toString();
    }
}
