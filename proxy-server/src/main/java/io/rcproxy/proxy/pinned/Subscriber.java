package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.Backoff;
import io.rcproxy.cluster.internal.connection.PushConnection;
import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.spi.ClusterCommand;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's subscriptions. Classic channels and patterns (SUBSCRIBE, PSUBSCRIBE) are cluster-wide in
 * Redis, so they share one dedicated connection to any master; shard channels (SSUBSCRIBE) live on the
 * master owning the channel's slot, one dedicated connection per such master. The connections are
 * {@link PushConnection}s: each frame is either a published message, passed to the client as it arrives, or a confirmation
 * answering the oldest (un)subscribe request still waiting on that connection (Redis sends one per
 * channel), which completes that request's place in the reply queue, so replies stay in request order.
 *
 * <p>While subscribed, a RESP2 client may send only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET,
 * as in Redis. A RESP3 client may send anything: its other commands take the shared connections as usual,
 * and its subscription connections speak RESP3, so messages and confirmations are already push frames
 * ({@code >}) and pass on as Redis sent them. A subscriber whose unwritten output exceeds {@code proxy.limits.pubsub-output-buffer} is
 * disconnected, like Redis's {@code client-output-buffer-limit pubsub}; the proxy keeps reading its backend
 * connections meanwhile, because a stalled backend connection would only move the buffering to Redis,
 * which then drops the connection in a way the proxy cannot tell from a failover. So a slow subscriber
 * costs the proxy at most that many bytes.
 *
 * <p>When a subscription connection drops (failover, CLIENT KILL) the proxy reconnects (with
 * {@link Backoff#RECONNECT}, 50 ms to 2 s) to any master, or to the channel's current owner for shard
 * channels, and subscribes again to what the client is subscribed to; the confirmations of that are
 * swallowed, and messages published during the gap are lost, as with any Redis reconnect. Subscription counts in confirmations are those of the
 * backend connection (for shard channels: per master), not of the whole client.
 *
 * <p>The state is a {@link SubscriberMode}; each connection, with the requests waiting for its
 * confirmations, is a {@link SubscriptionLink}.
 *
 * <p>Thread: the client's event loop. Ownership: a request's frame passes to the connection it is written
 * to; confirmations are gathered by the link (see {@link SubscriptionLink}); messages pass to the client's
 * reply queue.
 */
final class Subscriber implements PushConnection.Listener {

    private static final Logger log = LoggerFactory.getLogger(Subscriber.class);

    private final ClientPort client;
    private final SubscriptionCommands commands;
    private final long outputLimit;
    private SubscriberMode mode = new Listening();
    private SubscriptionLink classic;
    private final Map<ClusterNode, SubscriptionLink> shards = new HashMap<>();
    private long retryMillis = Backoff.RECONNECT.firstMillis();

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
        return classic == null && shards.isEmpty();
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

    /** The classic link if it is open, else null. */
    SubscriptionLink classicIfOpen() {
        return classic;
    }

    /** The link to a shard channel's master if it is open, else null. */
    SubscriptionLink shardIfOpen(ClusterNode node) {
        return shards.get(node);
    }

    /** The classic link, opened on any master if needed; null when no master is known. */
    SubscriptionLink classicLink() {
        if (classic == null) {
            List<ClusterNode> masters = client.router().topology().slotMap().masters();
            if (masters.isEmpty()) {
                return null;
            }
            classic = open(masters.get((int) (client.clientId() % masters.size())), null);
        }
        return classic;
    }

    /** The link to {@code node} for its shard channels, opened if needed. */
    SubscriptionLink shardLink(ClusterNode node) {
        return shards.computeIfAbsent(node, n -> open(n, n));
    }

    private SubscriptionLink open(ClusterNode node, ClusterNode shardNode) {
        return new SubscriptionLink(client.router().openPush(node, this, client.protocol().resp3()), shardNode);
    }

    private SubscriptionLink linkOf(PushConnection connection) {
        if (classic != null && classic.connection() == connection) {
            return classic;
        }
        SubscriptionLink link = shards.get(connection.node());
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
            deliver(frame);
        } else {
            link.confirm(frame, client.alloc());
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
        client.push(frame);
    }

    /** Closes a connection that carries no subscription and waits for nothing. */
    private void closeIfUnused(SubscriptionLink link) {
        if (!link.awaitsNothing()) {
            return;
        }
        Listening listening = listening();
        if (link.shardNode() == null) {
            if (link == classic && (listening == null || !listening.needsClassic())) {
                classic = null;
                link.close("no subscriptions left");
            }
        } else if (listening == null || !listening.shardChannels().containsValue(link.shardNode())) {
            shards.remove(link.shardNode(), link);
            link.close("no subscriptions left");
        }
    }

    @Override
    public void onConnectionLost(PushConnection connection, Throwable cause) {
        SubscriptionLink link = linkOf(connection);
        if (link == null) {
            return;
        }
        if (link == classic) {
            classic = null;
        } else {
            shards.remove(link.shardNode(), link);
        }
        link.failAll(RedisErrors.subscriptionLost(connection.node()));
        if (mode instanceof Detached) {
            return;
        }
        client.router().topology().requestRefresh();
        log.info("subscription connection to {} lost; subscribing again in {} ms", connection.node(), retryMillis);
        resubscribeLater(link.shardNode());
    }

    /** Subscribes again after the backoff, which doubles up to its cap until a frame arrives. */
    private void resubscribeLater(ClusterNode lostShard) {
        long delay = retryMillis;
        retryMillis = Backoff.RECONNECT.after(retryMillis);
        client.router().loop().schedule(() -> resubscribe(lostShard), delay, TimeUnit.MILLISECONDS);
    }

    /** Subscribes again to what was on a lost connection: classic ({@code lostShard} null) or one master's. */
    private void resubscribe(ClusterNode lostShard) {
        if (!(mode instanceof Listening listening)) {
            return;
        }
        if (lostShard == null) {
            if (classic != null || !listening.needsClassic()) {
                return; // a new SUBSCRIBE reopened it meanwhile, or nothing is left to restore
            }
            SubscriptionLink link = classicLink();
            if (link == null) {
                resubscribeLater(null);
                return;
            }
            resend(link, "SUBSCRIBE", listening.channels());
            resend(link, "PSUBSCRIBE", listening.patterns());
            return;
        }
        SlotMap map = client.router().topology().slotMap();
        Map<Integer, List<String>> bySlot = new TreeMap<>();
        for (Map.Entry<String, ClusterNode> e : listening.shardChannels().entrySet()) {
            if (e.getValue().equals(lostShard)) {
                byte[] bytes = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
                bySlot.computeIfAbsent(SlotHash.slot(bytes), s -> new ArrayList<>()).add(e.getKey());
            }
        }
        for (Map.Entry<Integer, List<String>> e : bySlot.entrySet()) {
            ClusterNode owner = map.owner(e.getKey());
            if (owner == null) {
                resubscribeLater(lostShard);
                return;
            }
            for (String name : e.getValue()) {
                listening.shardChannels().put(name, owner);
            }
            resend(shardLink(owner), "SSUBSCRIBE", e.getValue());
        }
    }

    /** A subscription of the proxy's own whose confirmations nobody sees. */
    private void resend(SubscriptionLink link, String command, Collection<String> names) {
        if (!names.isEmpty()) {
            link.send(PushFrames.command(client.alloc(), command, names), null, names.size());
        }
    }

    /** RESET: no more messages; confirmations already owed still arrive, then the connections close. */
    void detach() {
        mode = new Detached();
        client.subscriptions(0, 0, 0);
        if (classic != null) {
            closeIfUnused(classic);
        }
        for (SubscriptionLink link : List.copyOf(shards.values())) {
            closeIfUnused(link);
        }
    }

    /** The client is gone: close every subscription connection now. */
    void abort() {
        mode = new Detached();
        List<SubscriptionLink> links = new ArrayList<>(shards.values());
        if (classic != null) {
            links.add(classic);
        }
        classic = null;
        shards.clear();
        for (SubscriptionLink link : links) {
            link.failAll(RedisErrors.CLIENT_DISCONNECTED);
            link.close("client disconnected");
        }
    }

    static String name(RedisRequest request, int i) {
        return request.frame().toString(request.argOffset(i), request.argLength(i), StandardCharsets.ISO_8859_1);
    }
}
