package io.rcproxy.proxy.pinned;

import io.rcproxy.proxy.command.CommandSpec;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The commands a transaction or a subscriber treats specially, resolved from the command's table name by
 * one map built when the class loads, so no request path switches on the name. Every other command is
 * {@link #OTHER}. Stateless; any thread.
 */
enum PinnedCommand {
    MULTI, EXEC, DISCARD, WATCH, UNWATCH, WAIT,
    SUBSCRIBE, PSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE,
    PING, ECHO, QUIT, RESET,
    OTHER;

    private static final Map<String, PinnedCommand> BY_NAME = new HashMap<>();

    static {
        for (PinnedCommand command : values()) {
            if (command != OTHER) {
                BY_NAME.put(command.name().toLowerCase(Locale.ROOT), command);
            }
        }
    }

    static PinnedCommand of(CommandSpec spec) {
        return BY_NAME.getOrDefault(spec.name(), OTHER);
    }

    /** QUIT and RESET mean the same inside MULTI and in subscriber mode as anywhere: the usual route. */
    boolean endsSession() {
        return this == QUIT || this == RESET;
    }
}
