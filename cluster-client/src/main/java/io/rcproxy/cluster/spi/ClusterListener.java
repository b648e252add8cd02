package io.rcproxy.cluster.spi;

import io.rcproxy.cluster.resp.RedirectKind;
import io.rcproxy.cluster.topology.ClusterNode;

/**
 * Events worth counting, for whoever embeds the client (the proxy turns them into metrics). Methods run on
 * event loops and must be quick and non-blocking; all default to doing nothing.
 */
public interface ClusterListener {

    ClusterListener NONE = new ClusterListener() { };

    /** A MOVED, ASK, TRYAGAIN or CLUSTERDOWN reply was seen (and retried, budget permitting). */
    default void onRedirect(RedirectKind kind) {
    }

    /** A backend connection failed or closed; {@code cause} may be null. */
    default void onConnectionLost(ClusterNode node, Throwable cause) {
    }

    /**
     * A push frame ({@code >}) arrived on a connection that matches replies to commands: it answers none of
     * them, so it was dropped. Redis sends pushes only for subscriptions and tracking, which never use the
     * shared connections, so a count above zero means a command turned one of those on there.
     */
    default void onPushDropped(ClusterNode node) {
    }

    /** A read was sent to {@code replica} (reads from replicas on). Called per read: keep it cheap. */
    default void onReplicaRead(ClusterNode replica) {
    }

    /** A read that could have gone to a replica went to the master, for {@code reason}. Called per read. */
    default void onMasterRead(MasterRead reason) {
    }

    /**
     * A loop measured {@code node} again with {@code read-from = nearest}: {@code smoothedNanos} is its
     * smoothed round trip on that loop. About once a second per node per loop.
     */
    default void onNodeLatency(ClusterNode node, long smoothedNanos) {
    }

    /** A command exhausted its redirect budget or timed out. */
    default void onCommandFailed(ClusterNode node) {
    }
}
