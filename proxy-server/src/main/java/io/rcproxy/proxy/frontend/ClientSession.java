package io.rcproxy.proxy.frontend;

import io.netty.channel.Channel;
import io.rcproxy.proxy.auth.ClientAccess;
import io.rcproxy.proxy.protocol.RespRequestDecoder;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.tracking.ClientTracking;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What the proxy remembers about one client connection itself: its id, CLIENT SETNAME name, CLIENT SETINFO
 * library, addresses, and the facts CLIENT LIST shows (age, idle time, last command, subscriptions,
 * transaction state, flags).
 *
 * <p>Thread: written only on the client's event loop. CLIENT LIST on another loop reads these fields
 * without synchronisation: a line may be a moment stale (a 64-bit JVM never tears them), which is all a
 * diagnostic listing needs and keeps the per-request cost to two plain stores.
 */
final class ClientSession {

    private final long id;
    /** Who the client is authenticated as, and what it may run. */
    private final ClientAccess access;
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
    private String libName = "";
    private String libVersion = "";
    private boolean noEvict;
    private boolean noTouch;
    private boolean readonly;
    private ClientRequests requests;
    private RespRequestDecoder decoder;
    /** Set by HELLO, back to RESP2 on RESET; the replies the proxy builds follow it. */
    private volatile Protocol protocol = Protocol.RESP2;
    /** CLIENT TRACKING state; found by id when another client redirects its invalidations here. */
    private ClientTracking tracking;

    ClientSession(long id, ClientAccess access) {
        this.id = id;
        this.access = access;
    }

    ClientAccess access() {
        return access;
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

    boolean isBlocked() {
        return blocked;
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

    /** One line of CLIENT LIST, without the newline (see {@link ClientLine}). */
    String describe(long nowNanos) {
        return ClientLine.of(this, nowNanos);
    }

    long ageSeconds(long nowNanos) {
        return (nowNanos - createdNanos) / 1_000_000_000L;
    }

    long idleSeconds(long nowNanos) {
        return (nowNanos - lastInteractionNanos) / 1_000_000_000L;
    }

    String lastCommand() {
        return lastCommand;
    }

    int subscriptions() {
        return subscriptions;
    }

    int patterns() {
        return patterns;
    }

    int shardSubscriptions() {
        return shardSubscriptions;
    }

    void requests(ClientRequests owner) {
        this.requests = owner;
    }

    /** The client's request router, for CLIENT UNBLOCK and UNPAUSE (to be used on its own loop only). */
    ClientRequests requests() {
        return requests;
    }

    void decoder(RespRequestDecoder requestDecoder) {
        this.decoder = requestDecoder;
    }

    RespRequestDecoder decoder() {
        return decoder;
    }

    /** CLIENT SETINFO lib-name / lib-ver (Redis 7.2); empty until set. */
    void libName(String value) {
        this.libName = value;
    }

    String libName() {
        return libName;
    }

    void libVersion(String value) {
        this.libVersion = value;
    }

    String libVersion() {
        return libVersion;
    }

    void noEvict(boolean on) {
        this.noEvict = on;
    }

    boolean noEvict() {
        return noEvict;
    }

    void noTouch(boolean on) {
        this.noTouch = on;
    }

    boolean noTouch() {
        return noTouch;
    }

    /** READONLY / READWRITE: shown as CLIENT LIST's {@code r} flag. */
    void readonly(boolean on) {
        this.readonly = on;
    }

    boolean readonly() {
        return readonly;
    }

    private static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return address == null ? "?" : address.toString();
    }
}
