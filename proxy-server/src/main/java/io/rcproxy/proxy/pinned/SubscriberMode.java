package io.rcproxy.proxy.pinned;

import io.rcproxy.cluster.topology.ClusterNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a client's subscriptions stand. A {@link Subscriber} starts {@link Listening} with nothing
 * subscribed and ends {@link Detached} (RESET, a client too far behind, or gone); it never comes back, a
 * later SUBSCRIBE gets a new subscriber. Thread: the client's event loop.
 */
sealed interface SubscriberMode permits SubscriberMode.Listening, SubscriberMode.Detached {

    /**
     * Subscribed to what the collections hold (possibly nothing yet): messages go to the client. A channel
     * maps to the master it is subscribed on, or to null for a keyspace notification channel, which is
     * subscribed on every master, like every pattern. A shard channel maps to its master. The collections
     * change as (un)subscribe requests pass.
     */
    record Listening(Map<String, ClusterNode> channels, Set<String> patterns, Map<String, ClusterNode> shardChannels)
            implements SubscriberMode {

        Listening() {
            this(new LinkedHashMap<>(), new LinkedHashSet<>(), new LinkedHashMap<>());
        }

        /** Subscribed to at least one channel, pattern or shard channel: RESP2 subscriber mode. */
        boolean subscribed() {
            return !channels.isEmpty() || !patterns.isEmpty() || !shardChannels.isEmpty();
        }

        /** What Redis counts in a SUBSCRIBE or PSUBSCRIBE confirmation. */
        int classicCount() {
            return channels.size() + patterns.size();
        }

        /** Whether every master's classic link is needed: a pattern or a notification channel is subscribed. */
        boolean needsEveryMaster() {
            return !patterns.isEmpty() || channels.containsValue(null);
        }

        /** Whether the classic link to {@code node} still carries something. */
        boolean needsClassic(ClusterNode node) {
            return needsEveryMaster() || channels.containsValue(node);
        }
    }

    /** No subscriptions and no more messages; confirmations already owed still arrive, then links close. */
    record Detached() implements SubscriberMode {
    }
}
