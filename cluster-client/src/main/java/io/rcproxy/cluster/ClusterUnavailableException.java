package io.rcproxy.cluster;

/** The client could not load a topology from any seed at start-up. */
public final class ClusterUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
