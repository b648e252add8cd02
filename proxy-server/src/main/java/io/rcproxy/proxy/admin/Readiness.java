package io.rcproxy.proxy.admin;

import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.dispatch.ConnectionCensus;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;

/**
 * Whether the proxy should receive traffic: ready while it is not shutting down, its slot map is loaded and
 * gives every one of the 16384 slots an owner, and every healthy master (see {@link SlotMap#masters()}: a
 * node the cluster reports failed, or that owns no slot, does not count) has at least one live connection
 * on at least one event loop. One live connection suffices because loops whose connections are down fail over by
 * themselves within a reconnect backoff; a master with none anywhere means its slots get errors.
 *
 * <p>Threads: {@link #check()} runs on the metrics listener's thread and blocks for at most
 * {@link #CENSUS_TIMEOUT_MILLIS} while each event loop counts its connections; {@link #shuttingDown()}
 * may be called from any thread.
 */
public final class Readiness {

    static final long CENSUS_TIMEOUT_MILLIS = 1000;

    /** The answer to a probe; {@code reason} is a short plain-text explanation. */
    public record Verdict(boolean ready, String reason) {
    }

    private static final Verdict READY = new Verdict(true, "ready");

    private final ClusterClient client;
    private volatile boolean shuttingDown;

    public Readiness(ClusterClient client) {
        this.client = client;
    }

    /** From now on every check answers not ready. */
    public void shuttingDown() {
        shuttingDown = true;
    }

    public Verdict check() {
        if (shuttingDown) {
            return new Verdict(false, "shutting down");
        }
        SlotMap map = client.slotMap();
        if (!map.isLoaded()) {
            String failure = client.topology().lastFailure();
            return new Verdict(false, "slot map not loaded yet from seeds " + client.config().seeds()
                    + (failure == null ? "" : ": " + failure));
        }
        if (!map.coversAllSlots()) {
            return new Verdict(false, "slot map covers " + map.coveredSlots() + " of " + SlotMap.SLOT_COUNT
                    + " slots");
        }
        ConnectionCensus census = ConnectionCensus.take(client.routers(), CENSUS_TIMEOUT_MILLIS);
        for (ClusterNode master : map.masters()) {
            if (census.count(master, NodeConnection.State.ACTIVE) == 0) {
                return new Verdict(false, census.complete() ? "no live connection to master " + master
                        : "event loops did not answer within " + CENSUS_TIMEOUT_MILLIS + " ms");
            }
        }
        return shuttingDown ? new Verdict(false, "shutting down") : READY;
    }
}
