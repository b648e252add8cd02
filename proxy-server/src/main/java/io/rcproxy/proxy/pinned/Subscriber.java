package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.internal.Backoff;
import io.rcproxy.cluster.internal.connection.PushConnection;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.pinned.SubscriberMode.Detached;
import io.rcproxy.proxy.pinned.SubscriberMode.Listening;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.RedisErrors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's subscriptions, placed by one rule every proxy instance follows (see {@code docs/commands.md},
 * pub/sub), so that {@code PUBLISH}, sent to the master of the channel's slot, counts every subscriber:
 * <ul>
 *   <li>a channel is subscribed on the master owning its slot (hashed like a key);</li>
 *   <li>a pattern, and a keyspace notification channel, on every master: notifications are local to the
 *       master whose key changed. A pattern message is passed on only from the master owning the message
 *       channel's slot (the one PUBLISH ran on; the cluster bus delivers it on every master), or from
 *       every master for a notification channel, so each message arrives once;</li>
 *   <li>a shard channel (SSUBSCRIBE) on its slot's master, on a link of its own.</li>
 * </ul>
 * Each link is a {@link SubscriptionLink} on a {@link PushConnection}, at most one classic and one shard link
 * per master. A frame from a link is a published message, passed to the client as it arrives, or a
 * confirmation for the oldest request waiting on that link; the reply the client sees is built by
 * {@link SubscriptionCommands} with one Redis's counts (see {@link Confirmation}).
 *
 * <p>While subscribed, a RESP2 client may send only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET,
 * as in Redis. A RESP3 client may send anything: its other commands take the shared connections as usual,
 * and its links speak RESP3, so messages are already push frames ({@code >}) and pass on as Redis sent them.
 *
 * <p>A subscriber whose unwritten output exceeds {@code proxy.limits.pubsub-output-buffer} is disconnected,
 * like Redis's {@code client-output-buffer-limit pubsub}; the links keep being read meanwhile, because a
 * stalled backend connection would only move the buffering to Redis.
 *
 * <p>When a link drops (failover, CLIENT KILL) the proxy subscribes again after {@link Backoff#RECONNECT}
 * (50 ms to 2 s): channels on their slot's current owner, patterns and notification channels on every
 * current master; the confirmations are swallowed and messages published during the gap are lost.
 *
 * <p>Thread: the client's event loop. Ownership: frames written pass to their connection; confirmations
 * are released by the link; messages pass to the client's reply queue.
 */
final class Subscriber implements PushConnection.Listener {

    private static final Logger log = LoggerFactory.getLogger(Subscriber.class);

    private final ClientPort client;
    private final SubscriptionCommands commands;
    private final long outputLimit;
    private SubscriberMode mode = new Listening();
    /** Channels and patterns, by master, in the order opened (the first is the fallback, see below). */
    private final Map<ClusterNode, SubscriptionLink> classic = new LinkedHashMap<>();
    private final Map<ClusterNode, SubscriptionLink> shards = new HashMap<>();
    private long retryMillis = Backoff.RECONNECT.firstMillis();
    /** Registered with the router while any link is open: channels follow their slot to a new owner. */
    private final SlotPlacement placement = new SlotPlacement(this);
    private final Consumer<SlotMap> slotMapWatcher = this::followSlots;
    private boolean watching;

    Subscriber(ClientPort client) {
        this.client = client;
        this.commands = new SubscriptionCommands(client, this);
        this.outputLimit = client.pubsubOutputLimit();
    }

    /** In subscriber mode: subscribed to at least one channel, pattern or shard channel. */
    boolean isSubscribed() {
        return mode instanceof Listening listening && listening.subscribed();
    }

    boolean isIdle() {
        return classic.isEmpty() && shards.isEmpty();
    }

    boolean isDetached() {
        return mode instanceof Detached;
    }

    /** Subscriber mode: the allowed commands, or Redis's refusal. False: route as usual (QUIT, RESET, unknown). */
    boolean routeInSubscriberMode(CommandSpec spec, RedisRequest request) {
        return commands.routeInSubscriberMode(spec, request);
    }

    /** A (P|S)(UN)SUBSCRIBE request; takes ownership of it. */
    void route(CommandSpec spec, RedisRequest request) {
        commands.route(spec, request);
    }

    /** What the client is subscribed to; null once detached. */
    Listening listening() {
        return mode instanceof Listening listening ? listening : null;
    }

    SlotMap slotMap() {
        return client.router().topology().slotMap();
    }

    /** The classic link to {@code node} if it is open, else null. */
    SubscriptionLink classicIfOpen(ClusterNode node) {
        return classic.get(node);
    }

    /** Every open classic link. */
    Collection<SubscriptionLink> classicLinks() {
        return classic.values();
    }

    /**
     * The classic link to {@code node}, opened if needed; a new link is given the patterns and
     * notification channels first, which every classic link carries.
     */
    SubscriptionLink classicLink(ClusterNode node) {
        SubscriptionLink link = classic.get(node);
        if (link == null) {
            link = open(node, false);
            classic.put(node, link);
            Listening listening = listening();
            if (listening != null) {
                resend(link, "PSUBSCRIBE", listening.patterns());
                resend(link, "SUBSCRIBE", notificationChannels(listening));
            }
        }
        return link;
    }

    /** Every master's classic link, opened where missing, plus links to former masters still open; empty when no master is known. */
    Collection<SubscriptionLink> everyMaster() {
        for (ClusterNode master : client.router().topology().slotMap().masters()) {
            classicLink(master);
        }
        return classic.values();
    }

    /** The link to {@code node} if it is open, else null. */
    SubscriptionLink shardIfOpen(ClusterNode node) {
        return shards.get(node);
    }

    /** The link to {@code node} for its shard channels, opened if needed. */
    SubscriptionLink shardLink(ClusterNode node) {
        return shards.computeIfAbsent(node, n -> open(n, true));
    }

    private SubscriptionLink open(ClusterNode node, boolean shard) {
        if (!watching) {
            watching = true;
            client.router().watchSlotMap(slotMapWatcher);
        }
        return new SubscriptionLink(client.router().openPush(node, this, client.protocol().resp3()), shard);
    }

    private void followSlots(SlotMap map) {
        if (mode instanceof Listening listening) {
            placement.follow(listening, map);
        }
    }

    private void unwatch() {
        if (watching && isIdle()) {
            watching = false;
            client.router().unwatchSlotMap(slotMapWatcher);
        }
    }

    private SubscriptionLink linkOf(PushConnection connection) {
        SubscriptionLink link = classic.get(connection.node());
        if (link != null && link.connection() == connection) {
            return link;
        }
        link = shards.get(connection.node());
        return link != null && link.connection() == connection ? link : null;
    }

    @Override
    public void onPush(PushConnection connection, ByteBuf frame) {
        SubscriptionLink link = linkOf(connection);
        if (link == null) {
            frame.release();
            return;
        }
        retryMillis = Backoff.RECONNECT.firstMillis();
        PushFrames.fit(frame, client.protocol());
        if (link.awaitsNothing() || PushFrames.isMessage(frame)) {
            if (link.isShard() || placement.isOwnCopy(link, frame, classic)) {
                deliver(frame);
            } else {
                frame.release();
            }
        } else {
            link.confirm(frame);
            closeIfUnused(link);
        }
    }

    /** A published message: to the client, unless it is too far behind. */
    private void deliver(ByteBuf frame) {
        if (mode instanceof Detached) {
            frame.release();
            return;
        }
        if (client.unwrittenBytes() + frame.readableBytes() > outputLimit) {
            frame.release();
            log.warn("closing subscriber {}: more than {} bytes of messages unwritten", client.address(), outputLimit);
            mode = new Detached();
            client.closeNow();
            return;
        }
        client.pushMessage(frame);
    }

    /** Closes a link that carries no subscription and waits for nothing. */
    void closeIfUnused(SubscriptionLink link) {
        if (!link.awaitsNothing()) {
            return;
        }
        Listening listening = listening();
        if (!link.isShard()) {
            if (classic.get(link.node()) == link && (listening == null || !listening.needsClassic(link.node()))) {
                classic.remove(link.node());
                link.close("no subscriptions left");
            }
        } else if (listening == null || !listening.shardChannels().containsValue(link.node())) {
            shards.remove(link.node(), link);
            link.close("no subscriptions left");
        }
        unwatch();
    }

    @Override
    public void onConnectionLost(PushConnection connection, Throwable cause) {
        SubscriptionLink link = linkOf(connection);
        if (link == null) {
            return;
        }
        (link.isShard() ? shards : classic).remove(link.node(), link);
        link.failAll(RedisErrors.subscriptionLost(connection.node()));
        if (mode instanceof Detached) {
            unwatch();
            return;
        }
        client.router().topology().requestRefresh();
        log.info("subscription connection to {} lost; subscribing again in {} ms", connection.node(), retryMillis);
        resubscribeLater(link.node(), link.isShard());
    }

    /** Subscribes again after the backoff, which doubles up to its cap until a frame arrives. */
    private void resubscribeLater(ClusterNode lost, boolean shard) {
        long delay = retryMillis;
        retryMillis = Backoff.RECONNECT.after(retryMillis);
        client.router().loop().schedule(() -> resubscribe(lost, shard), delay, TimeUnit.MILLISECONDS);
    }

    /** Subscribes again to what was on the lost link to {@code lost}, where the current topology puts it. */
    private void resubscribe(ClusterNode lost, boolean shard) {
        if (mode instanceof Listening listening && !placement.afterLoss(listening, lost, shard)) {
            resubscribeLater(lost, shard);
        }
    }

    /** A subscription of the proxy's own whose confirmations nobody sees. */
    void resend(SubscriptionLink link, String command, Collection<String> names) {
        if (!names.isEmpty()) {
            Confirmation silent = Confirmation.silent();
            link.send(PushFrames.command(client.alloc(), command, names), silent, names.size());
            silent.sent();
        }
    }

    private static List<String> notificationChannels(Listening listening) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, ClusterNode> e : listening.channels().entrySet()) {
            if (e.getValue() == null) {
                names.add(e.getKey());
            }
        }
        return names;
    }

    /** RESET: no more messages; confirmations already owed still arrive, then the connections close. */
    void detach() {
        mode = new Detached();
        client.subscriptions(0, 0, 0);
        List<SubscriptionLink> links = new ArrayList<>(classic.values());
        links.addAll(shards.values());
        for (SubscriptionLink link : links) {
            closeIfUnused(link);
        }
    }

    /** The client is gone: close every subscription connection now. */
    void abort() {
        mode = new Detached();
        List<SubscriptionLink> links = new ArrayList<>(shards.values());
        links.addAll(classic.values());
        classic.clear();
        shards.clear();
        for (SubscriptionLink link : links) {
            link.failAll(RedisErrors.CLIENT_DISCONNECTED);
            link.close("client disconnected");
        }
        unwatch();
    }

    static String name(RedisRequest request, int i) {
        return request.frame().toString(request.argOffset(i), request.argLength(i), StandardCharsets.ISO_8859_1);
    }
}
