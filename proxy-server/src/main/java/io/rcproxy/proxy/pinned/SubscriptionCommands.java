package io.rcproxy.proxy.pinned;

import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.KeySlots;
import io.rcproxy.proxy.pinned.SubscriberMode.Listening;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.RedisErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The (un)subscribe requests of one {@link Subscriber}: what each changes in its {@link Listening} sets,
 * which {@link SubscriptionLink} it is written on, and how many confirmations it waits for; the answers
 * the proxy gives itself when no connection holds the names; and what subscriber mode allows.
 *
 * <p>Thread: the client's event loop. Ownership: each request passes its frame to the link it is written
 * on, or ends its journey here with an answer.
 */
final class SubscriptionCommands {

    private final ClientPort client;
    private final Subscriber subscriber;

    SubscriptionCommands(ClientPort client, Subscriber subscriber) {
        this.client = client;
        this.subscriber = subscriber;
    }

    /**
     * Subscriber mode: the allowed commands, or Redis's refusal. False: route as usual (QUIT, RESET, unknown,
     * and every command of a RESP3 client, which RESP3 lets run any command while subscribed).
     */
    boolean routeInSubscriberMode(CommandSpec spec, RedisRequest request) {
        if (spec == null || client.protocol().resp3()) {
            return false;
        }
        PinnedCommand command = PinnedCommand.of(spec);
        if (command.endsSession()) {
            return false;
        }
        if (command == PinnedCommand.PING) {
            ping(spec, request);
        } else if (isSubscription(command)) {
            route(spec, request);
        } else {
            client.answerError(request, RedisErrors.notInSubscriberMode(spec));
        }
        return true;
    }

    private static boolean isSubscription(PinnedCommand command) {
        return command.compareTo(PinnedCommand.SUBSCRIBE) >= 0 && command.compareTo(PinnedCommand.SUNSUBSCRIBE) <= 0;
    }

    private void ping(CommandSpec spec, RedisRequest request) {
        if (request.argCount() > 2) {
            client.answerError(request, RedisErrors.wrongArity(spec));
            return;
        }
        String argument = request.argCount() == 2 ? Subscriber.name(request, 1) : "";
        client.answer(request, PushFrames.pong(client.alloc(), client.protocol(), argument));
    }

    /** A (P|S)(UN)SUBSCRIBE request; takes ownership of it. Only called while {@link Listening}. */
    void route(CommandSpec spec, RedisRequest request) {
        if (!spec.acceptsArgCount(request.argCount())) {
            client.answerError(request, RedisErrors.wrongArity(spec));
            return;
        }
        Listening listening = subscriber.listening();
        PinnedCommand command = PinnedCommand.of(spec);
        if (command == PinnedCommand.SUBSCRIBE) {
            subscribe(request, listening.channels());
        } else if (command == PinnedCommand.PSUBSCRIBE) {
            subscribe(request, listening.patterns());
        } else if (command == PinnedCommand.UNSUBSCRIBE) {
            unsubscribe(request, listening, listening.channels(), "unsubscribe");
        } else if (command == PinnedCommand.PUNSUBSCRIBE) {
            unsubscribe(request, listening, listening.patterns(), "punsubscribe");
        } else if (command == PinnedCommand.SSUBSCRIBE) {
            shardSubscribe(spec, request, listening.shardChannels());
        } else {
            shardUnsubscribe(spec, request, listening.shardChannels());
        }
        client.subscriptions(listening.channels().size(), listening.patterns().size(),
                listening.shardChannels().size());
    }

    private void subscribe(RedisRequest request, Set<String> names) {
        SubscriptionLink link = subscriber.classicLink();
        if (link == null) {
            client.answerError(request, RedisErrors.CLUSTER_DOWN);
            return;
        }
        for (int i = 1; i < request.argCount(); i++) {
            names.add(Subscriber.name(request, i));
        }
        send(link, request, request.argCount() - 1);
    }

    private void unsubscribe(RedisRequest request, Listening listening, Set<String> names, String kind) {
        int confirmations;
        List<String> removed = new ArrayList<>();
        if (request.argCount() == 1) {
            removed.addAll(names);
            confirmations = Math.max(1, names.size());
            names.clear();
        } else {
            for (int i = 1; i < request.argCount(); i++) {
                String name = Subscriber.name(request, i);
                names.remove(name);
                removed.add(name);
            }
            confirmations = request.argCount() - 1;
        }
        SubscriptionLink classic = subscriber.classicIfOpen();
        if (classic != null) {
            send(classic, request, confirmations);
        } else {
            int left = listening.channels().size() + listening.patterns().size();
            client.answer(request, PushFrames.confirmations(client.alloc(), client.protocol(), kind, removed, left));
        }
    }

    private void shardSubscribe(CommandSpec spec, RedisRequest request, Map<String, ClusterNode> shardChannels) {
        int slot = KeySlots.slotOf(spec, request);
        if (slot == KeySlots.CROSS_SLOT) {
            client.answerError(request, RedisErrors.CROSSSLOT);
            return;
        }
        ClusterNode owner = slot >= 0 ? client.router().ownerOf(slot) : null;
        if (owner == null) {
            client.answerError(request, RedisErrors.SLOT_NOT_SERVED);
            return;
        }
        for (int i = 1; i < request.argCount(); i++) {
            shardChannels.put(Subscriber.name(request, i), owner);
        }
        send(subscriber.shardLink(owner), request, request.argCount() - 1);
    }

    private void shardUnsubscribe(CommandSpec spec, RedisRequest request, Map<String, ClusterNode> shardChannels) {
        if (request.argCount() == 1) {
            if (shardChannels.isEmpty()) {
                client.answer(request, PushFrames.confirmations(client.alloc(), client.protocol(), "sunsubscribe",
                        List.of(), 0));
                return;
            }
            Map<ClusterNode, Integer> perNode = new LinkedHashMap<>();
            shardChannels.values().forEach(node -> perNode.merge(node, 1, Integer::sum));
            shardChannels.clear();
            request.release();
            for (Map.Entry<ClusterNode, Integer> e : perNode.entrySet()) {
                SubscriptionLink link = subscriber.shardIfOpen(e.getKey());
                if (link != null) {
                    link.send(PushFrames.command(client.alloc(), "SUNSUBSCRIBE", List.of()), newEntry(), e.getValue());
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
            String name = Subscriber.name(request, i);
            ClusterNode on = shardChannels.remove(name);
            node = node == null ? on : node;
            removed.add(name);
        }
        SubscriptionLink link = node == null ? null : subscriber.shardIfOpen(node);
        if (link != null) {
            send(link, request, request.argCount() - 1);
        } else {
            client.answer(request, PushFrames.confirmations(client.alloc(), client.protocol(), "sunsubscribe",
                    removed, shardChannels.size()));
        }
    }

    /** Writes the client's request on {@code link}; its frame passes to the connection. */
    private void send(SubscriptionLink link, RedisRequest request, int confirmations) {
        link.send(request.frame(), newEntry(), confirmations);
    }

    private PendingReply newEntry() {
        return client.enqueue(null, ClusterCommand.ANY_SLOT, 0);
    }
}
