package io.rcproxy.proxy.command;

import java.util.Locale;

/**
 * Redis's ACL command categories (7.0), as bits of {@link CommandSpec#categories()}: what a user's
 * {@code +@read} or {@code -@dangerous} rule selects. Read from the {@code acl} column of
 * {@code commands.tsv}, which the generator takes from Redis's own COMMAND reply. Declared in the order
 * {@code ACL CAT} lists them.
 *
 * <p>Immutable; used from every event loop.
 */
public enum AclCategory {
    KEYSPACE, READ, WRITE, SET, SORTEDSET, LIST, HASH, STRING, BITMAP, HYPERLOGLOG, GEO, STREAM, PUBSUB,
    ADMIN, FAST, SLOW, BLOCKING, DANGEROUS, CONNECTION, TRANSACTION, SCRIPTING;

    /** This category's bit in {@link CommandSpec#categories()}. */
    public int bit() {
        return 1 << ordinal();
    }

    /** The name as Redis writes it after the {@code @}: {@code sortedset}. */
    public String redisName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The category Redis spells {@code redisName} (without the {@code @}), or null for none. */
    public static AclCategory fromRedisName(String redisName) {
        for (AclCategory c : values()) {
            if (c.redisName().equalsIgnoreCase(redisName)) {
                return c;
            }
        }
        return null;
    }
}
