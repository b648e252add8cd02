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
    REPLICA;

    /** Parses the configuration spelling: {@code master}, {@code replica-preferred}, {@code replica}. */
    public static ReadFrom parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "master" -> MASTER;
            case "replica-preferred" -> REPLICA_PREFERRED;
            case "replica" -> REPLICA;
            default -> throw new IllegalArgumentException("expected master, replica-preferred or replica");
        };
    }
}
