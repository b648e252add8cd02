package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.command.NotificationChannels;
import io.rcproxy.proxy.pinned.SubscriberMode.Listening;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a {@link Subscriber}'s subscriptions where the pub/sub rule puts them as the cluster changes: a
 * channel on its slot's current owner, patterns and notification channels on every current master. It
 * acts on a new slot map, and on a lost link (which it subscribes again elsewhere or on a new link), and
 * tells which master's copy of a pattern message is the one passed on.
 * Confirmations of what it sends are swallowed ({@link Subscriber#resend}).
 *
 * <p>Thread: the client's event loop.
 */
final class SlotPlacement {

    private final Subscriber subscriber;

    SlotPlacement(Subscriber subscriber) {
        this.subscriber = subscriber;
    }

    /**
     * A new slot map: a channel whose slot moved to another master is subscribed there and unsubscribed
     * from the old one, so PUBLISH, sent to the new owner, counts it again; a new master gets the patterns
     * and notification channels. Shard channels are not moved: Redis itself ends them when their slot
     * leaves the master ({@code sunsubscribe} reaches the client, as with Redis Cluster).
     */
    void follow(Listening listening, SlotMap map) {
        Map<ClusterNode, List<String>> leaving = new LinkedHashMap<>();
        Map<ClusterNode, List<String>> arriving = new LinkedHashMap<>();
        for (Map.Entry<String, ClusterNode> e : listening.channels().entrySet()) {
            ClusterNode owner = e.getValue() == null ? null : map.owner(slot(e.getKey()));
            if (owner != null && owner != e.getValue()) {
                leaving.computeIfAbsent(e.getValue(), n -> new ArrayList<>()).add(e.getKey());
                arriving.computeIfAbsent(owner, n -> new ArrayList<>()).add(e.getKey());
                e.setValue(owner);
            }
        }
        for (Map.Entry<ClusterNode, List<String>> e : arriving.entrySet()) {
            subscriber.resend(subscriber.classicLink(e.getKey()), "SUBSCRIBE", e.getValue());
        }
        for (Map.Entry<ClusterNode, List<String>> e : leaving.entrySet()) {
            SubscriptionLink old = subscriber.classicIfOpen(e.getKey());
            if (old != null) {
                subscriber.resend(old, "UNSUBSCRIBE", e.getValue());
            }
        }
        if (listening.needsEveryMaster()) {
            subscriber.everyMaster();
        }
    }

    /**
     * The link to {@code lost} dropped: what it carried is subscribed again where the current slot map
     * puts it (a new link gets the patterns and notification channels first). False when a slot has no
     * owner yet: try again later.
     */
    boolean afterLoss(Listening listening, ClusterNode lost, boolean shard) {
        SlotMap map = subscriber.slotMap();
        Map<String, ClusterNode> placed = shard ? listening.shardChannels() : listening.channels();
        Map<ClusterNode, List<String>> byOwner = new LinkedHashMap<>();
        for (Map.Entry<String, ClusterNode> e : placed.entrySet()) {
            if (lost.equals(e.getValue())) {
                ClusterNode owner = map.owner(slot(e.getKey()));
                if (owner == null) {
                    return false;
                }
                byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(e.getKey());
            }
        }
        for (Map.Entry<ClusterNode, List<String>> e : byOwner.entrySet()) {
            for (String name : e.getValue()) {
                placed.put(name, e.getKey());
            }
            SubscriptionLink link = shard ? subscriber.shardLink(e.getKey()) : subscriber.classicLink(e.getKey());
            subscriber.resend(link, shard ? "SSUBSCRIBE" : "SUBSCRIBE", e.getValue());
        }
        if (!shard && listening.needsEveryMaster()) {
            subscriber.everyMaster();
        }
        return true;
    }

    /**
     * Whether {@code link} passes this message on: every pattern is subscribed on every master, and a
     * published message reaches every master, so a pattern message counts only from the master PUBLISH
     * ran on, the owner of the channel's slot; when the proxy holds no link to that owner (a master that
     * joined since), from the first link. Keyspace notifications are published on one master only.
     */
    boolean isOwnCopy(SubscriptionLink link, ByteBuf frame, Map<ClusterNode, SubscriptionLink> classic) {
        long channel = PushFrames.patternMessageChannel(frame);
        if (channel < 0) {
            return true; // a channel message: the channel is subscribed on one master, or is a notification
        }
        int index = (int) (channel >>> 32);
        int length = (int) channel;
        if (NotificationChannels.isNotification(frame, index, length)) {
            return true;
        }
        ClusterNode owner = subscriber.slotMap().owner(SlotHash.slot(frame, index, length));
        if (owner == link.node()) {
            return true;
        }
        if (owner != null && classic.containsKey(owner)) {
            return false;
        }
        return classic.values().iterator().next() == link;
    }

    private static int slot(String channel) {
        return SlotHash.slot(channel.getBytes(StandardCharsets.ISO_8859_1));
    }
}
