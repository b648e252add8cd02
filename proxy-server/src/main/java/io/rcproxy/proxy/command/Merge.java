package io.rcproxy.proxy.command;

import java.util.Locale;

/**
 * How the replies of a command answered from several nodes become the client's one reply: the
 * {@code merge} column of {@code commands.tsv}. Every {@link Routing#FAN_OUT}, {@link Routing#ALL_MASTERS} and
 * {@link Routing#ALL_NODES} row names one that fits its routing, or the table does not load; other rows have none.
 *
 * <p>Unless a merge says otherwise, any part's error is the reply (the first, in part order).
 *
 * <p>Immutable; used from every event loop.
 */
public enum Merge {
    /** Integers, added (DEL, EXISTS, UNLINK, TOUCH, DBSIZE). */
    SUM(true, true, false),
    /** {@code +OK} once every part said so (MSET, FLUSHALL, SCRIPT FLUSH). */
    ALL_OK(true, true, true),
    /**
     * {@code +OK} if any master said so, else the first master's error (SCRIPT KILL: one master runs it). Each
     * part goes on a connection of its own, to overtake the busy script on the shared one.
     */
    ANY_OK(false, true, false),
    /**
     * The reply of the master running a script (its second element, {@code running_script}, not nil), else
     * the first master's (FUNCTION STATS). Each part goes on a connection of its own, as for {@link #ANY_OK}.
     */
    RUNNING_SCRIPT(false, true, false),
    /** The first master's reply, which every other must equal (SCRIPT LOAD's sha). */
    SAME(false, true, false),
    /** Arrays of 0/1, ANDed position by position: a script exists only if it exists everywhere. */
    AND(false, true, false),
    /** Arrays, joined master by master (KEYS). */
    CONCAT(false, true, false),
    /** Each part's values put back at their keys' places in the client's order (MGET). */
    KEYED_ARRAY(true, false, false),
    /** The first master's reply, once none failed (FUNCTION LOAD). */
    FIRST(false, true, false),
    /** Sent to every master; one reply that is not nil, at random, else nil (RANDOMKEY). */
    RANDOM(false, true, false),
    /** Sent to one master at a time; the proxy's cursor says which (SCAN). */
    SCAN(false, true, false),
    /** The proxy's own sections, plus the keyspace summed over the masters when asked for (INFO). */
    INFO(false, true, false),
    /** Arrays of names, joined with duplicates dropped, first seen first (PUBSUB CHANNELS, SHARDCHANNELS). */
    UNION(false, true, false),
    /** The largest integer (PUBSUB NUMPAT: the proxy subscribes each pattern on every master). */
    MAX(false, true, false),
    /**
     * Name/count pairs in the request's order, counts added by position, except a keyspace notification
     * channel's, which the proxy subscribes on every master: the largest (PUBSUB NUMSUB, SHARDNUMSUB).
     */
    NUMSUB(false, true, false),
    /** A master with the masters' offsets summed and no replicas (ROLE). */
    ROLE(false, true, false),
    /** Integers, their minimum (LASTSAVE: the oldest master's save). */
    MIN(false, true, false),
    /** Every master's entries, newest first, cut to the count asked for (SLOWLOG GET). */
    SLOWLOG(false, true, false),
    /** Per event, the newest sample and the highest maximum (LATENCY LATEST). */
    LATENCY_LATEST(false, true, false),
    /** Every master's samples in time order (LATENCY HISTORY). */
    LATENCY_HISTORY(false, true, false),
    /** Key/value lists, integers summed key by key (LATENCY HISTOGRAM). */
    LATENCY_HISTOGRAM(false, true, false),
    /** As LATENCY_HISTOGRAM, with MEMORY STATS' percentages recomputed (MEMORY STATS). */
    MEMORY_STATS(false, true, false),
    /** Each master's text, headed by its address (LATENCY DOCTOR, MEMORY DOCTOR...). */
    NODE_TEXT(false, true, false),
    /** Every master's parameters, one value each: the value most masters hold (CONFIG GET). */
    CONFIG_GET(false, true, false),
    /**
     * The first master first: its error is the reply and nothing else is touched; then every other node,
     * and a later failure names the node and how many applied the change (CONFIG SET).
     */
    CONFIG_SET(false, false, true),
    /** {@code +OK} once every node reset its statistics; the proxy's own counters reset too (CONFIG RESETSTAT). */
    RESET_STATS(false, false, true);

    /** Whether each part goes on a connection of its own, past a busy script holding the shared one. */
    public boolean partsAlone() {
        return this == ANY_OK || this == RUNNING_SCRIPT;
    }

    private final boolean fanOut;
    private final boolean allMasters;
    private final boolean allNodes;

    Merge(boolean fanOut, boolean allMasters, boolean allNodes) {
        this.fanOut = fanOut;
        this.allMasters = allMasters;
        this.allNodes = allNodes;
    }

    /** Whether a row with {@code routing} may name this merge. */
    boolean fits(Routing routing) {
        return switch (routing) {
            case FAN_OUT -> fanOut;
            case ALL_MASTERS -> allMasters;
            case ALL_NODES -> allNodes;
            default -> false;
        };
    }

    /** Whether {@code routing} needs a merge. */
    static boolean needed(Routing routing) {
        return routing == Routing.FAN_OUT || routing == Routing.ALL_MASTERS || routing == Routing.ALL_NODES;
    }

    /** The merge a column names ({@code sum}, {@code keyed_array}...), or null for {@code -}. */
    static Merge fromColumn(String column) {
        return column.equals("-") ? null : valueOf(column.toUpperCase(Locale.ROOT));
    }
}
