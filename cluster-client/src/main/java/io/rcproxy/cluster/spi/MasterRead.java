package io.rcproxy.cluster.spi;

/**
 * Why a read that could have gone to a replica (reads from replicas on, a read-only command on one slot)
 * went to its slot's master instead. The metrics count each.
 */
public enum MasterRead {
    /** The master had no replica online, within the lag limit and connected. */
    NO_READABLE_REPLICA,
    /** The replica's connection was lost, or timed out, before it answered; the read was sent again. */
    REPLICA_CONNECTION_LOST,
    /** The client wrote within the read-your-writes window (decided by the proxy, not the router). */
    READ_YOUR_WRITES,
    /** With {@link ReadFrom#NEAREST}: the master answers faster than its replicas. */
    NEAREST_IS_MASTER
}
