package io.rcproxy.cluster;

/** A Redis error reply surfaced by the typed conveniences ({@code get}, {@code set}, {@code del}). */
public final class RedisErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RedisErrorException(String message) {
        super(message);
    }
}
