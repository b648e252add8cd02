package io.rcproxy.cluster.internal.connection;

import io.rcproxy.cluster.internal.ClientErrors;
import io.rcproxy.cluster.topology.ClusterNode;

/**
 * What a command sent to a connection that is down is told: why the last attempt failed, or Redis's own
 * error ({@code WRONGPASS ...}) while AUTH keeps being refused, until one succeeds.
 *
 * <p>Thread: the connection's event loop.
 */
final class Unreachable {

    private final ClusterNode node;
    private String lastFailure = "not connected yet";
    /** The error of the last refused AUTH; null once one succeeds. */
    private String authError;

    Unreachable(ClusterNode node) {
        this.node = node;
    }

    /** An attempt failed for {@code why}; returns it. */
    String failed(String why) {
        lastFailure = why;
        return why;
    }

    /** AUTH was refused with {@code error}; true if the one before was not (so it is worth an error log). */
    boolean authRefused(String error) {
        boolean first = authError == null;
        authError = error;
        lastFailure = error;
        return first;
    }

    void authAccepted() {
        authError = null;
    }

    String error() {
        return authError != null ? authError : ClientErrors.unreachable(node, lastFailure);
    }
}
