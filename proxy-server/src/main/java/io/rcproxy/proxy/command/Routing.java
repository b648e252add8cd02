package io.rcproxy.proxy.command;

/**
 * How the proxy treats a command. Read from the {@code routing} column of {@code commands.tsv}.
 *
 * <p>The data may name a treatment before the frontend implements it; such a routing is {@linkplain
 * #isImplemented() not
 * implemented} and {@link CommandSpec#routing()} reports it as {@link #UNSUPPORTED}, so the frontend
 * only ever switches over the implemented constants. Implementing one is flipping its flag here.
 *
 * <p>Immutable; used from every event loop.
 */
public enum Routing {
    /** Keys hash to one slot (all of them, for multi-key commands); forwarded to that slot's master. */
    SLOT(true),
    /** Keyless; any master will do (COMMAND, PUBLISH, TIME). */
    ANY_MASTER(true),
    /** Answered by the proxy itself (PING, ECHO, QUIT, SELECT, HELLO, CLIENT SETNAME/GETNAME/ID). */
    LOCAL(true),
    /** Not forwarded: administration, cluster management, replication, and the like. */
    UNSUPPORTED(true),
    /**
     * Sent to every master (or one at a time, SCAN), replies merged by the row's {@link Merge} (KEYS, DBSIZE,
     * FLUSHALL, SCRIPT LOAD, INFO).
     */
    ALL_MASTERS(true),
    /**
     * Sent to every node, masters and replicas, replies merged by the row's {@link Merge}: settings a node
     * keeps for itself (CONFIG SET, CONFIG REWRITE, CONFIG RESETSTAT).
     */
    ALL_NODES(true),
    /**
     * MGET, MSET, DEL, UNLINK, EXISTS, TOUCH: one slot is forwarded as is; keys spanning slots are split by slot
     * and the parts' replies merged by the row's {@link Merge}.
     */
    FAN_OUT(true),
    /** Needs a backend connection dedicated to the client (MULTI/EXEC, WATCH, WAIT). */
    PINNED(true),
    /** May block: sent on a backend connection of its own (BLPOP, XREAD BLOCK, BLMPOP...). */
    BLOCKING(true),
    /** Puts the connection in subscriber mode (SUBSCRIBE, SSUBSCRIBE...). */
    PUBSUB(true),
    /**
     * EVAL, EVALSHA, FCALL and their _RO forms: by the slot of the declared keys like {@link #SLOT}; with no
     * keys declared, on the master of the client's last key, then the others while Redis answers that the
     * script touched a non-local key.
     */
    SCRIPT(true),
    /** MONITOR: every master's feed, on a dedicated connection to each, streamed to the client. */
    MONITOR(true);

    private final boolean implemented;

    Routing(boolean implemented) {
        this.implemented = implemented;
    }

    /** Whether the frontend handles this routing yet. */
    public boolean isImplemented() {
        return implemented;
    }

    /** This routing if implemented, otherwise {@link #UNSUPPORTED}. */
    public Routing effective() {
        return implemented ? this : UNSUPPORTED;
    }
}
