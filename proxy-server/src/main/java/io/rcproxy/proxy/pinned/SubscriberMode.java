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
     * Subscribed to what the sets hold (possibly nothing yet): messages go to the client. Shard channels
     * map to the master each is subscribed on. The collections change as (un)subscribe requests pass.
     */
    record Listening(Set<String> channels, Set<String> patterns, Map<String, ClusterNode> shardChannels)
            implements SubscriberMode {

        Listening() {
            this(new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashMap<>());
        }

        /** Subscribed to at least one channel, pattern or shard channel: RESP2 subscriber mode. */
        boolean subscribed() {
            return !channels.isEmpty() || !patterns.isEmpty() || !shardChannels.isEmpty();
        }

        /** Whether the classic connection still carries a channel or pattern. */
        boolean needsClassic() {
            return !channels.isEmpty() || !patterns.isEmpty();
        }
    }

    /** No subscriptions and no more messages; confirmations already owed still arrive, then links close. */
    record Detached() implements SubscriberMode {
    }
}
