package io.rcproxy.proxy.reply;

import io.rcproxy.cluster.internal.ClientErrors;
import io.rcproxy.proxy.command.CommandSpec;

/**
 * The texts of the errors the proxy answers itself, in Redis's own words and with Redis's own prefixes,
 * so a client library that matches on them ({@code CROSSSLOT}, {@code EXECABORT}, {@code CLUSTERDOWN})
 * cannot tell the proxy from a Redis node. One place, so two paths refusing the same thing cannot drift
 * apart. Each is the message without the leading {@code -}; {@link Replies#error} adds it. Stateless.
 */
public final class RedisErrors {

    public static final String CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
    public static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

    /** EXEC itself refused ({@code error} without its leading '-'): Redis discards the transaction so. */
    public static String execAbortBecause(String error) {
        return "EXECABORT Transaction discarded because of: " + error;
    }
    /** The client's own texts, so a slot without an owner reads the same whichever path met it. */
    public static final String SLOT_NOT_SERVED = ClientErrors.SLOT_NOT_SERVED;
    public static final String CLUSTER_DOWN = ClientErrors.CLUSTER_DOWN;
    public static final String EXEC_WITHOUT_MULTI = "ERR EXEC without MULTI";
    public static final String DISCARD_WITHOUT_MULTI = "ERR DISCARD without MULTI";
    public static final String NESTED_MULTI = "ERR MULTI calls can not be nested";
    public static final String WATCH_IN_MULTI = "ERR WATCH inside MULTI is not allowed";
    /** A command flagged {@code no_multi} (SAVE, SHUTDOWN, SYNC...) queued inside MULTI. */
    public static final String NOT_IN_MULTI = "ERR Command not allowed inside a transaction";
    public static final String MAX_CLIENTS = "ERR max number of clients reached";
    public static final String CLIENT_DISCONNECTED = "ERR client disconnected";

    private RedisErrors() {
    }

    public static String protocolError(String detail) {
        return "ERR Protocol error: " + detail;
    }

    public static String wrongArity(CommandSpec spec) {
        return "ERR wrong number of arguments for '" + spec.name() + "' command";
    }

    public static String unsupported(CommandSpec spec) {
        return "ERR command '" + spec.name().replace('|', ' ') + "' is not supported by the proxy";
    }

    /** A command the proxy runs but will not queue inside MULTI (subscriptions). */
    public static String notInTransaction(CommandSpec spec) {
        return "ERR Command '" + spec.name() + "' is not allowed in a transaction by the proxy";
    }

    /** Redis's refusal, in RESP2 subscriber mode, of anything but the subscription commands. */
    public static String notInSubscriberMode(CommandSpec spec) {
        return "ERR Can't execute '" + spec.name()
                + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";
    }

    public static String subscriptionDown(Object node) {
        return "ERR subscription connection to " + node + " is down";
    }

    public static String subscriptionLost(Object node) {
        return "ERR subscription connection to " + node + " lost";
    }
}
