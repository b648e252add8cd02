package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.KeySlots;
import io.rcproxy.proxy.command.NotificationChannels;
import io.rcproxy.proxy.pinned.SubscriberMode.Listening;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.RedisErrors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The (un)subscribe requests of one {@link Subscriber}: what each changes in its {@link Listening} state,
 * which {@link SubscriptionLink}s it is written on (a channel's slot owner; every master for patterns and
 * notification channels; a shard channel's master), and the reply, built here with the counts one Redis
 * would give, sent once every link confirmed (see {@link Confirmation}). Also what subscriber mode allows.
 *
 * <p>Thread: the client's event loop. Ownership: the client's request ends its journey here (released);
 * each link is written a frame of its own.
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
        List<String> names = new ArrayList<>(request.argCount() - 1);
        for (int i = 1; i < request.argCount(); i++) {
            names.add(Subscriber.name(request, i));
        }
        PinnedCommand command = PinnedCommand.of(spec);
        String refusal;
        if (command == PinnedCommand.SUBSCRIBE) {
            refusal = subscribe(request, names, listening);
        } else if (command == PinnedCommand.PSUBSCRIBE) {
            refusal = psubscribe(request, names, listening);
        } else if (command == PinnedCommand.UNSUBSCRIBE) {
            refusal = unsubscribe(request, names, listening);
        } else if (command == PinnedCommand.PUNSUBSCRIBE) {
            refusal = punsubscribe(request, names, listening);
        } else if (command == PinnedCommand.SSUBSCRIBE) {
            refusal = shardSubscribe(spec, request, names, listening);
        } else {
            refusal = shardUnsubscribe(spec, request, names, listening);
        }
        if (refusal != null) {
            client.answerError(request, refusal);
        }
        client.subscriptions(listening.channels().size(), listening.patterns().size(),
                listening.shardChannels().size());
    }

    private String subscribe(RedisRequest request, List<String> names, Listening listening) {
        boolean everywhere = names.stream().anyMatch(NotificationChannels::isNotification);
        if (everywhere && subscriber.everyMaster().isEmpty()) {
            return RedisErrors.CLUSTER_DOWN;
        }
        Map<String, ClusterNode> placed = new LinkedHashMap<>();
        for (String name : names) {
            if (NotificationChannels.isNotification(name)) {
                placed.put(name, null);
                continue;
            }
            ClusterNode node = listening.channels().get(name);
            node = node != null ? node : client.router().ownerOf(slot(name));
            if (node == null) {
                return RedisErrors.SLOT_NOT_SERVED;
            }
            placed.put(name, node);
        }
        Parts parts = new Parts("SUBSCRIBE");
        ByteBuf reply = client.alloc().buffer(32 * names.size() + 16);
        for (String name : names) {
            ClusterNode node = placed.get(name);
            listening.channels().putIfAbsent(name, node);
            PushFrames.appendConfirmation(reply, client.protocol(), "subscribe", name, listening.classicCount());
            if (node == null) {
                parts.addEverywhere(subscriber.classicLinks(), name);
            } else {
                parts.add(subscriber.classicLink(node), name);
            }
        }
        parts.send(request, reply);
        return null;
    }

    private String psubscribe(RedisRequest request, List<String> names, Listening listening) {
        Collection<SubscriptionLink> links = subscriber.everyMaster(); // opened before the new patterns are added
        if (links.isEmpty()) {
            return RedisErrors.CLUSTER_DOWN;
        }
        Parts parts = new Parts("PSUBSCRIBE");
        ByteBuf reply = client.alloc().buffer(32 * names.size() + 16);
        for (String name : names) {
            listening.patterns().add(name);
            PushFrames.appendConfirmation(reply, client.protocol(), "psubscribe", name, listening.classicCount());
            parts.addEverywhere(links, name);
        }
        parts.send(request, reply);
        return null;
    }

    private String unsubscribe(RedisRequest request, List<String> names, Listening listening) {
        List<String> all = names.isEmpty() ? new ArrayList<>(listening.channels().keySet()) : names;
        Parts parts = new Parts("UNSUBSCRIBE");
        ByteBuf reply = client.alloc().buffer(32 * all.size() + 16);
        for (String name : all) {
            boolean held = listening.channels().containsKey(name);
            ClusterNode node = listening.channels().remove(name);
            PushFrames.appendConfirmation(reply, client.protocol(), "unsubscribe", name, listening.classicCount());
            if (held && node == null) {
                parts.addEverywhere(subscriber.classicLinks(), name);
            } else if (held) {
                parts.add(subscriber.classicIfOpen(node), name);
            }
        }
        if (all.isEmpty()) {
            PushFrames.appendConfirmation(reply, client.protocol(), "unsubscribe", null, listening.classicCount());
        }
        parts.send(request, reply);
        return null;
    }

    private String punsubscribe(RedisRequest request, List<String> names, Listening listening) {
        List<String> all = names.isEmpty() ? new ArrayList<>(listening.patterns()) : names;
        Parts parts = new Parts("PUNSUBSCRIBE");
        ByteBuf reply = client.alloc().buffer(32 * all.size() + 16);
        for (String name : all) {
            boolean held = listening.patterns().remove(name);
            PushFrames.appendConfirmation(reply, client.protocol(), "punsubscribe", name, listening.classicCount());
            if (held) {
                parts.addEverywhere(subscriber.classicLinks(), name);
            }
        }
        if (all.isEmpty()) {
            PushFrames.appendConfirmation(reply, client.protocol(), "punsubscribe", null, listening.classicCount());
        }
        parts.send(request, reply);
        return null;
    }

    private String shardSubscribe(CommandSpec spec, RedisRequest request, List<String> names, Listening listening) {
        int slot = KeySlots.slotOf(spec, request);
        if (slot == KeySlots.CROSS_SLOT) {
            return RedisErrors.CROSSSLOT;
        }
        ClusterNode owner = slot >= 0 ? client.router().ownerOf(slot) : null;
        if (owner == null) {
            return RedisErrors.SLOT_NOT_SERVED;
        }
        Parts parts = new Parts("SSUBSCRIBE");
        ByteBuf reply = client.alloc().buffer(32 * names.size() + 16);
        for (String name : names) {
            listening.shardChannels().putIfAbsent(name, owner);
            PushFrames.appendConfirmation(reply, client.protocol(), "ssubscribe", name, listening.shardChannels().size());
            parts.add(subscriber.shardLink(listening.shardChannels().get(name)), name);
        }
        parts.send(request, reply);
        return null;
    }

    private String shardUnsubscribe(CommandSpec spec, RedisRequest request, List<String> names, Listening listening) {
        if (!names.isEmpty() && KeySlots.slotOf(spec, request) == KeySlots.CROSS_SLOT) {
            return RedisErrors.CROSSSLOT;
        }
        List<String> all = names.isEmpty() ? new ArrayList<>(listening.shardChannels().keySet()) : names;
        Parts parts = new Parts("SUNSUBSCRIBE");
        ByteBuf reply = client.alloc().buffer(32 * all.size() + 16);
        for (String name : all) {
            ClusterNode node = listening.shardChannels().remove(name);
            PushFrames.appendConfirmation(reply, client.protocol(), "sunsubscribe", name, listening.shardChannels().size());
            if (node != null) {
                parts.add(subscriber.shardIfOpen(node), name);
            }
        }
        if (all.isEmpty()) {
            PushFrames.appendConfirmation(reply, client.protocol(), "sunsubscribe", null, 0);
        }
        parts.send(request, reply);
        return null;
    }

    private static int slot(String channel) {
        return SlotHash.slot(channel.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The names one request writes on each link, gathered before anything is sent. */
    private final class Parts {
        private final String command;
        private final Map<SubscriptionLink, List<String>> byLink = new LinkedHashMap<>();

        Parts(String command) {
            this.command = command;
        }

        void add(SubscriptionLink link, String name) {
            if (link != null) {
                byLink.computeIfAbsent(link, l -> new ArrayList<>()).add(name);
            }
        }

        void addEverywhere(Collection<SubscriptionLink> links, String name) {
            for (SubscriptionLink link : links) {
                add(link, name);
            }
        }

        /**
         * Writes each link's part; the client gets {@code reply} (taken) once all have confirmed, or at once
         * when no link is concerned. The request ends its journey here.
         */
        void send(RedisRequest request, ByteBuf reply) {
            if (byLink.isEmpty()) {
                client.answer(request, reply);
                return;
            }
            request.release();
            Confirmation confirmation = new Confirmation(client.enqueue(null, ClusterCommand.ANY_SLOT, 0), reply);
            for (Map.Entry<SubscriptionLink, List<String>> e : byLink.entrySet()) {
                SubscriptionLink link = e.getKey();
                link.send(PushFrames.command(client.alloc(), command, e.getValue()), confirmation, e.getValue().size());
            }
            confirmation.sent();
        }
    }
}
