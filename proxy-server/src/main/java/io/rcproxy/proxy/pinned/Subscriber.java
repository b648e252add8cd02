package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.rcproxy.cluster.ClusterCommand;
import io.rcproxy.cluster.connection.NodeConnection;
import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.KeySlots;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.RedisErrors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's subscriptions. Classic channels and patterns (SUBSCRIBE, PSUBSCRIBE) are cluster-wide in
 * Redis, so they share one dedicated connection to any master; shard channels (SSUBSCRIBE) live on the
 * master owning the channel's slot, one dedicated connection per such master. The connections are in push
 * mode: each frame is either a published message, passed to the client as it arrives, or a confirmation
 * answering the oldest (un)subscribe request still waiting on that connection (Redis sends one per
 * channel), which completes that request's place in the reply queue, so replies stay in request order.
 *
 * <p>While subscribed, only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET are allowed, as in
 * Redis (RESP2). A subscriber whose unwritten output exceeds {@code proxy.limits.pubsub-output-buffer} is
 * disconnected, like Redis's {@code client-output-buffer-limit pubsub}; the proxy keeps reading its backend
 * connections meanwhile, because a stalled backend connection would only move the buffering to Redis,
 * which then drops the connection in a way the proxy cannot tell from a failover. So a slow subscriber
 * costs the proxy at most that many bytes.
 *
 * <p>When a subscription connection drops (failover, CLIENT KILL) the proxy reconnects (backoff 50 ms to
 * 2 s) to any master, or to the channel's current owner for shard channels, and subscribes again to what
 * the client is subscribed to; the confirmations of that are swallowed, and messages published during
 * the gap are lost, as with any Redis reconnect. Subscription counts in confirmations are those of the
 * backend connection (for shard channels: per master), not of the whole client.
 *
 * <p>Thread: the client's event loop. Ownership: a request's frame passes to the connection it is written
 * to; confirmation frames gather in a composite buffer owned by the waiting request until it completes;
 * messages pass to the client's reply queue.
 */
final class Subscriber implements NodeConnection.Listener, NodeConnection.PushSink {

    private static final Logger log = LoggerFactory.getLogger(Subscriber.class);

    private static final long MIN_RETRY_MILLIS = 50;
    private static final long MAX_RETRY_MILLIS = 2_000;

    private final ClientPort client;
    private final long outputLimit;
    private final Set<String> channels = new LinkedHashSet<>();
    private final Set<String> patterns = new LinkedHashSet<>();
    /** Shard channel → the master it is subscribed on. */
    private final Map<String, ClusterNode> shardChannels = new LinkedHashMap<>();
    private Link classic;
    private final Map<ClusterNode, Link> shards = new HashMap<>();
    private boolean detached;
    private long retryMillis = MIN_RETRY_MILLIS;

    /** One dedicated subscription connection and the requests waiting for its confirmations. */
    private static final class Link {
        final NodeConnection connection;
        /** The master for shard channels; null for the classic connection. */
        final ClusterNode shardNode;
        final ArrayDeque<Awaited> awaited = new ArrayDeque<>(2);

        Link(NodeConnection connection, ClusterNode shardNode) {
            this.connection = connection;
            this.shardNode = shardNode;
        }
    }

    /** A request's confirmations: {@code remaining} more frames, gathered for its reply-queue entry. */
    private static final class Awaited {
        /** Null: sent by the proxy itself (a resubscription); its confirmations are dropped. */
        final PendingReply entry;
        int remaining;
        CompositeByteBuf gathered;

        Awaited(PendingReply entry, int remaining) {
            this.entry = entry;
            this.remaining = remaining;
        }

        /** Takes ownership of {@code frame}; true once the last frame is in (an error is the last). */
        boolean accept(ByteBuf frame, ClientPort client) {
            remaining = PushFrames.isError(frame) ? 0 : remaining - 1;
            if (entry == null) {
                frame.release();
                return remaining <= 0;
            }
            if (gathered == null && remaining <= 0) {
                entry.complete(frame);
                return true;
            }
            if (gathered == null) {
                gathered = client.alloc().compositeBuffer(remaining + 1);
            }
            gathered.addComponent(true, frame);
            if (remaining <= 0) {
                CompositeByteBuf all = gathered;
                gathered = null;
                entry.complete(all);
                return true;
            }
            return false;
        }

        void fail(String message) {
            if (gathered != null) {
                gathered.release();
                gathered = null;
            }
            if (entry != null) {
                entry.fail(message);
            }
        }
    }

    Subscriber(ClientPort client) {
        this.client = client;
        this.outputLimit = client.pubsubOutputLimit();
    }

    /** In subscriber mode: subscribed to at least one channel, pattern or shard channel. */
    boolean isSubscribed() {
        return !detached && (!channels.isEmpty() || !patterns.isEmpty() || !shardChannels.isEmpty());
    }

    boolean isIdle() {
        return classic == null && shards.isEmpty();
    }

    boolean isDetached() {
        return detached;
    }

    /** Subscriber mode: the allowed commands, or Redis's refusal. False: route as usual (QUIT, RESET, unknown). */
    boolean routeInSubscriberMode(CommandSpec spec, RedisRequest request) {
        if (spec == null) {
            return false;
        }
        switch (spec.name()) {
            case "subscribe", "psubscribe", "unsubscribe", "punsubscribe", "ssubscribe", "sunsubscribe" ->
                    route(spec, request);
            case "ping" -> {
                if (request.argCount() > 2) {
                    client.answerError(request, RedisErrors.wrongArity(spec));
                } else {
                    String argument = request.argCount() == 2
                            ? request.frame().toString(request.argOffset(1), request.argLength(1),
                                    StandardCharsets.ISO_8859_1)
                            : "";
                    client.answer(request, PushFrames.pong(client.alloc(), argument));
                }
            }
            case "quit", "reset" -> {
                return false;
            }
            default -> client.answerError(request, "ERR Can't execute '" + spec.name()
                    + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
        }
        return true;
    }

    /** A (P|S)(UN)SUBSCRIBE request; takes ownership of it. */
    void route(CommandSpec spec, RedisRequest request) {
        if (!spec.acceptsArgCount(request.argCount())) {
            client.answerError(request, RedisErrors.wrongArity(spec));
            return;
        }
        switch (spec.name()) {
            case "subscribe" -> subscribe(request, channels);
            case "psubscribe" -> subscribe(request, patterns);
            case "unsubscribe" -> unsubscribe(request, channels, "unsubscribe");
            case "punsubscribe" -> unsubscribe(request, patterns, "punsubscribe");
            case "ssubscribe" -> shardSubscribe(spec, request);
            default -> shardUnsubscribe(spec, request);
        }
        client.subscriptions(channels.size(), patterns.size(), shardChannels.size());
    }

    private void subscribe(RedisRequest request, Set<String> names) {
        Link link = classicLink();
        if (link == null) {
            client.answerError(request, RedisErrors.CLUSTER_DOWN);
            return;
        }
        for (int i = 1; i < request.argCount(); i++) {
            names.add(name(request, i));
        }
        send(link, request, request.argCount() - 1);
    }

    private void unsubscribe(RedisRequest request, Set<String> names, String kind) {
        int confirmations;
        List<String> removed = new ArrayList<>();
        if (request.argCount() == 1) {
            removed.addAll(names);
            confirmations = Math.max(1, names.size());
            names.clear();
        } else {
            for (int i = 1; i < request.argCount(); i++) {
                String name = name(request, i);
                names.remove(name);
                removed.add(name);
            }
            confirmations = request.argCount() - 1;
        }
        if (classic != null) {
            send(classic, request, confirmations);
        } else {
            client.answer(request, localConfirmations(kind, removed, channels.size() + patterns.size()));
        }
    }

    private void shardSubscribe(CommandSpec spec, RedisRequest request) {
        int slot = KeySlots.slotOf(spec, request);
        if (slot == KeySlots.CROSS_SLOT) {
            client.answerError(request, RedisErrors.CROSSSLOT);
            return;
        }
        ClusterNode owner = slot >= 0 ? client.router().topology().slotMap().owner(slot) : null;
        if (owner == null) {
            client.router().topology().requestRefresh();
            client.answerError(request, RedisErrors.SLOT_NOT_SERVED);
            return;
        }
        for (int i = 1; i < request.argCount(); i++) {
            shardChannels.put(name(request, i), owner);
        }
        send(shardLink(owner), request, request.argCount() - 1);
    }

    private void shardUnsubscribe(CommandSpec spec, RedisRequest request) {
        if (request.argCount() == 1) {
            if (shardChannels.isEmpty()) {
                client.answer(request, localConfirmations("sunsubscribe", List.of(), 0));
                return;
            }
            Map<ClusterNode, Integer> perNode = new LinkedHashMap<>();
            shardChannels.values().forEach(node -> perNode.merge(node, 1, Integer::sum));
            shardChannels.clear();
            request.release();
            for (Map.Entry<ClusterNode, Integer> e : perNode.entrySet()) {
                Link link = shards.get(e.getKey());
                if (link != null) {
                    sendOwn(link, PushFrames.command(client.alloc(), "SUNSUBSCRIBE", List.of()), e.getValue());
                }
            }
            return;
        }
        int slot = KeySlots.slotOf(spec, request);
        if (slot == KeySlots.CROSS_SLOT) {
            client.answerError(request, RedisErrors.CROSSSLOT);
            return;
        }
        List<String> removed = new ArrayList<>();
        ClusterNode node = null;
        for (int i = 1; i < request.argCount(); i++) {
            String name = name(request, i);
            ClusterNode on = shardChannels.remove(name);
            node = node == null ? on : node;
            removed.add(name);
        }
        Link link = node == null ? null : shards.get(node);
        if (link != null) {
            send(link, request, request.argCount() - 1);
        } else {
            client.answer(request, localConfirmations("sunsubscribe", removed, shardChannels.size()));
        }
    }

    /** Writes the client's request on {@code link}; its frame passes to the connection. */
    private void send(Link link, RedisRequest request, int confirmations) {
        PendingReply entry = client.enqueue(null, ClusterCommand.ANY_SLOT, 0);
        Awaited awaited = new Awaited(entry, confirmations);
        link.awaited.add(awaited);
        if (!link.connection.writeFrame(request.frame())) {
            link.awaited.remove(awaited);
            awaited.fail("ERR subscription connection to " + link.connection.node() + " is down");
        }
    }

    /** Writes a request the proxy built ({@code frame} passes to the connection), answered to the client. */
    private void sendOwn(Link link, ByteBuf frame, int confirmations) {
        PendingReply entry = client.enqueue(null, ClusterCommand.ANY_SLOT, 0);
        Awaited awaited = new Awaited(entry, confirmations);
        link.awaited.add(awaited);
        if (!link.connection.writeFrame(frame)) {
            link.awaited.remove(awaited);
            awaited.fail("ERR subscription connection to " + link.connection.node() + " is down");
        }
    }

    /** Writes a request of the proxy's own whose confirmations nobody sees (a resubscription). */
    private void sendSilently(Link link, ByteBuf frame, int confirmations) {
        Awaited awaited = new Awaited(null, confirmations);
        link.awaited.add(awaited);
        if (!link.connection.writeFrame(frame)) {
            link.awaited.remove(awaited);
        }
    }

    private ByteBuf localConfirmations(String kind, List<String> names, int remainingCount) {
        ByteBuf out = client.alloc().buffer(64 + names.size() * 32);
        if (names.isEmpty()) {
            PushFrames.appendConfirmation(out, kind, null, remainingCount);
        }
        for (String name : names) {
            PushFrames.appendConfirmation(out, kind, name, remainingCount);
        }
        return out;
    }

    private Link classicLink() {
        if (classic == null) {
            List<ClusterNode> masters = client.router().topology().slotMap().masters();
            if (masters.isEmpty()) {
                return null;
            }
            ClusterNode node = masters.get((int) (client.clientId() % masters.size()));
            NodeConnection connection = client.router().openDedicated(node, this);
            connection.pushMode(this);
            classic = new Link(connection, null);
        }
        return classic;
    }

    private Link shardLink(ClusterNode node) {
        Link link = shards.get(node);
        if (link == null) {
            NodeConnection connection = client.router().openDedicated(node, this);
            connection.pushMode(this);
            link = new Link(connection, node);
            shards.put(node, link);
        }
        return link;
    }

    private Link linkOf(NodeConnection connection) {
        if (classic != null && classic.connection == connection) {
            return classic;
        }
        Link link = shards.get(connection.node());
        return link != null && link.connection == connection ? link : null;
    }

    @Override
    public void onPush(NodeConnection connection, ByteBuf frame) {
        Link link = linkOf(connection);
        if (link == null) {
            frame.release();
            return;
        }
        retryMillis = MIN_RETRY_MILLIS;
        Awaited head = link.awaited.peek();
        if (head == null || PushFrames.isMessage(frame)) {
            deliver(frame);
        } else if (head.accept(frame, client)) {
            link.awaited.poll();
            closeIfUnused(link);
        }
    }

    /** A published message: to the client, unless it is too far behind. */
    private void deliver(ByteBuf frame) {
        if (detached) {
            frame.release();
            return;
        }
        if (client.unwrittenBytes() + frame.readableBytes() > outputLimit) {
            frame.release();
            log.warn("closing subscriber {}: more than {} bytes of messages unwritten",
                    client.address(), outputLimit);
            detached = true;
            client.closeNow();
            return;
        }
        client.push(frame);
    }

    /** Closes a connection that carries no subscription and waits for nothing. */
    private void closeIfUnused(Link link) {
        if (!link.awaited.isEmpty()) {
            return;
        }
        if (link.shardNode == null) {
            if (link == classic && (detached || (channels.isEmpty() && patterns.isEmpty()))) {
                classic = null;
                link.connection.close("no subscriptions left");
            }
        } else if (detached || !shardChannels.containsValue(link.shardNode)) {
            shards.remove(link.shardNode, link);
            link.connection.close("no subscriptions left");
        }
    }

    @Override
    public void onReply(NodeConnection connection, ClusterCommand command, ByteBuf reply) {
        command.complete(reply); // push mode: never called; here for completeness
    }

    @Override
    public void onConnectionLost(NodeConnection connection, Throwable cause) {
        Link link = linkOf(connection);
        if (link == null) {
            return;
        }
        if (link == classic) {
            classic = null;
        } else {
            shards.remove(link.shardNode, link);
        }
        Awaited awaited;
        while ((awaited = link.awaited.poll()) != null) {
            awaited.fail("ERR subscription connection to " + connection.node() + " lost");
        }
        if (detached) {
            return;
        }
        client.router().topology().requestRefresh();
        ClusterNode lostShard = link.shardNode;
        long delay = retryMillis;
        retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        log.info("subscription connection to {} lost; subscribing again in {} ms", connection.node(), delay);
        client.router().loop().schedule(() -> resubscribe(lostShard), delay, TimeUnit.MILLISECONDS);
    }

    /** Subscribes again to what was on a lost connection: classic ({@code lostShard} null) or one master's. */
    private void resubscribe(ClusterNode lostShard) {
        if (detached) {
            return;
        }
        if (lostShard == null) {
            if (classic != null || (channels.isEmpty() && patterns.isEmpty())) {
                return; // a new SUBSCRIBE reopened it meanwhile, or nothing is left to restore
            }
            Link link = classicLink();
            if (link == null) {
                onConnectionLostLater(null);
                return;
            }
            if (!channels.isEmpty()) {
                sendSilently(link, PushFrames.command(client.alloc(), "SUBSCRIBE", channels), channels.size());
            }
            if (!patterns.isEmpty()) {
                sendSilently(link, PushFrames.command(client.alloc(), "PSUBSCRIBE", patterns), patterns.size());
            }
            return;
        }
        SlotMap map = client.router().topology().slotMap();
        Map<Integer, List<String>> bySlot = new TreeMap<>();
        for (Map.Entry<String, ClusterNode> e : shardChannels.entrySet()) {
            if (e.getValue().equals(lostShard)) {
                byte[] bytes = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
                bySlot.computeIfAbsent(SlotHash.slot(bytes), s -> new ArrayList<>()).add(e.getKey());
            }
        }
        for (Map.Entry<Integer, List<String>> e : bySlot.entrySet()) {
            ClusterNode owner = map.owner(e.getKey());
            if (owner == null) {
                onConnectionLostLater(lostShard);
                return;
            }
            for (String name : e.getValue()) {
                shardChannels.put(name, owner);
            }
            sendSilently(shardLink(owner), PushFrames.command(client.alloc(), "SSUBSCRIBE", e.getValue()),
                    e.getValue().size());
        }
    }

    private void onConnectionLostLater(ClusterNode lostShard) {
        long delay = retryMillis;
        retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        client.router().loop().schedule(() -> resubscribe(lostShard), delay, TimeUnit.MILLISECONDS);
    }

    /** RESET: no more messages; confirmations already owed still arrive, then the connections close. */
    void detach() {
        detached = true;
        channels.clear();
        patterns.clear();
        shardChannels.clear();
        client.subscriptions(0, 0, 0);
        if (classic != null) {
            closeIfUnused(classic);
        }
        for (Link link : List.copyOf(shards.values())) {
            closeIfUnused(link);
        }
    }

    /** The client is gone: close every subscription connection now. */
    void abort() {
        detached = true;
        List<Link> links = new ArrayList<>(shards.values());
        if (classic != null) {
            links.add(classic);
        }
        classic = null;
        shards.clear();
        for (Link link : links) {
            Awaited awaited;
            while ((awaited = link.awaited.poll()) != null) {
                awaited.fail("ERR client disconnected");
            }
            link.connection.close("client disconnected");
        }
    }

    private static String name(RedisRequest request, int i) {
        return request.frame().toString(request.argOffset(i), request.argLength(i), StandardCharsets.ISO_8859_1);
    }
}
