package io.rcproxy.proxy.command;

import java.util.Locale;

/**
 * The command flags Redis reports in {@code COMMAND} (7.0), as bits of {@link CommandSpec#flags()}.
 *
 * <p>Immutable; used from every event loop.
 */
public enum CommandFlag {
    WRITE, READONLY, DENYOOM, MODULE, ADMIN, PUBSUB, NOSCRIPT, BLOCKING, LOADING, STALE,
    SKIP_MONITOR, SKIP_SLOWLOG, ASKING, FAST, NO_AUTH, MAY_REPLICATE, SENTINEL, ONLY_SENTINEL,
    NO_MANDATORY_KEYS, PROTECTED, MODULE_GETKEYS, MODULE_NO_CLUSTER, NO_ASYNC_LOADING, NO_MULTI,
    MOVABLEKEYS, ALLOW_BUSY, MODULE_GETCHANNELS;

    /** This flag's bit in {@link CommandSpec#flags()}. */
    public int bit() {
        return 1 << ordinal();
    }

    /** The flag Redis spells {@code redisName} ({@code "no_async_loading"}). */
    public static CommandFlag fromRedisName(String redisName) {
        return valueOf(redisName.toUpperCase(Locale.ROOT));
    }
}
