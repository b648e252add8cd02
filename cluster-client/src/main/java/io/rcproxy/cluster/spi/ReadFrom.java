package io.rcproxy.cluster.spi;

import java.util.Locale;

/**
 * Where commands marked {@link ClusterCommand#replicaRead() replica reads} are sent.
 * Every other command goes to its slot's master whatever the setting.
 */
public enum ReadFrom {
    /** Every command to the slot's master: the default, and today's path unchanged. */
    MASTER,
    /** A readable replica of the slot's master; the master when it has none that can take the command. */
    REPLICA_PREFERRED,
    /** A readable replica of the slot's master only; the read fails when there is none. */
    REPLICA,
    /**
     * Whichever of the slot's master and its readable replicas answers this event loop's probes fastest,
     * with hysteresis so reads do not flap between nodes of similar latency; as REPLICA_PREFERRED until
     * the probes have measured the nodes.
     */
    NEAREST;

    /** Parses the configuration spelling: {@code master}, {@code replica-preferred}, {@code replica}, {@code nearest}. */
    public static ReadFrom parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "master" -> MASTER;
            case "replica-preferred" -> REPLICA_PREFERRED;
            case "replica" -> REPLICA;
            case "nearest" -> NEAREST;
            default -> throw new IllegalArgumentException("expected master, replica-preferred, replica or nearest");
        };
    }
}
