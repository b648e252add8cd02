package io.rcproxy.cluster.topology;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster node identified by its endpoint, interned so that every part of the client sees one object per
 * endpoint. The dense {@link #index} lets each event loop keep its connection pools in a plain array, so a
 * lookup on the hot path is an array read rather than a map probe.
 *
 * <p>Interning happens only while parsing topology and redirects; any thread may call {@link #of}.
 */
public final class ClusterNode {

    private static final ConcurrentHashMap<HostAndPort, ClusterNode> INTERNED = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_INDEX = new AtomicInteger();

    private final HostAndPort address;
    private final int index;

    private ClusterNode(HostAndPort address, int index) {
        this.address = address;
        this.index = index;
    }

    public static ClusterNode of(HostAndPort address) {
        ClusterNode node = INTERNED.get(address);
        return node != null ? node
                : INTERNED.computeIfAbsent(address, a -> new ClusterNode(a, NEXT_INDEX.getAndIncrement()));
    }

    public static ClusterNode of(String host, int port) {
        return of(new HostAndPort(host, port));
    }

    public HostAndPort address() {
        return address;
    }

    /** Dense, process-wide index of this endpoint, stable for the life of the process. */
    public int index() {
        return index;
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
