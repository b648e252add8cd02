package io.rcproxy.cluster.testkit;

/**
 * Thrown by {@link RedisTestConnection#call(String...)} when Redis answers with an error reply,
 * and by the cluster fixture when the cluster does not reach the state a test needs.
 */
public final class RedisTestException extends RuntimeException {

    private final RedisErrorReply reply;

    /** An error reply from Redis, kept so the test can inspect {@link #reply()}. */
    public RedisTestException(RedisErrorReply reply) {
        super(reply.toString());
        this.reply = reply;
    }

    /** A fixture failure that is not a Redis reply (a timeout, a node that would not start). */
    public RedisTestException(String message, Throwable cause) {
        super(message, cause);
        this.reply = null;
    }

    /** A fixture failure that is not a Redis reply. */
    public RedisTestException(String message) {
        this(message, null);
    }

    /** The error reply, or {@code null} when this failure did not come from Redis. */
    public RedisErrorReply reply() {
        return reply;
    }
}
