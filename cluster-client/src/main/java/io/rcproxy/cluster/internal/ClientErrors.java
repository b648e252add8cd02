package io.rcproxy.cluster.internal;

import io.rcproxy.cluster.topology.ClusterNode;

/**
 * The Redis error texts the client produces itself, in one place, each with Redis's own prefix
 * ({@code ERR}, {@code CLUSTERDOWN}) so clients and operators read them as they would Redis's.
 * Callers hand them to {@code ClusterCommand.fail}.
 */
public final class ClientErrors {

    /**
     * Before any slot map is loaded, commands fail at once with CLUSTERDOWN: it is Redis's own word for "the
     * cluster cannot serve this now, try again", which clients and operators already treat as transient.
     */
    public static final String NOT_LOADED = "CLUSTERDOWN No slot map loaded yet: no seed node has answered so far";
    public static final String SLOT_NOT_SERVED = "CLUSTERDOWN Hash slot not served";
    public static final String CLUSTER_DOWN = "CLUSTERDOWN The cluster is down";
    public static final String CLIENT_CLOSED = "ERR the cluster client is closed";

    private ClientErrors() {
    }

    /** No owner for a command: CLUSTERDOWN for a slot, or for any master when {@code slot} is negative. */
    public static String noOwner(int slot) {
        return slot >= 0 ? SLOT_NOT_SERVED : CLUSTER_DOWN;
    }

    /** Under read-from replica: the slot's master has no readable replica that is connected. */
    public static String noReplica(int slot) {
        return "CLUSTERDOWN no readable replica for slot " + slot + " (proxy.read-from = replica)";
    }

    public static String unreachable(ClusterNode node, String why) {
        return "ERR node " + node + " is unreachable: " + why;
    }

    public static String connectionLost(ClusterNode node, String why) {
        return "ERR connection to node " + node + " lost: " + why;
    }

    public static String connectionClosed(ClusterNode node, String reason) {
        return "ERR connection to node " + node + " closed: " + reason;
    }

    public static String timedOut(long millis, ClusterNode node) {
        return "ERR command timed out after " + millis + " ms waiting for node " + node;
    }

    /** A {@code what} ("request", "reply") whose bulks alone exceed the whole buffer budget. */
    public static String neverFits(String what, long bulkBytes, long limit) {
        return "ERR " + what + " with " + bulkBytes + " bytes of bulk data exceeds the proxy's buffer memory of "
                + limit + " bytes";
    }

    /** A bulk refused because the buffer budget is full for now. */
    public static String budgetFull(String what, long bulkLength, long used, long limit) {
        return "ERR proxy buffer memory is full (" + used + " of " + limit + " bytes in use): " + what
                + " with a bulk of " + bulkLength + " bytes refused, try again later";
    }
}
