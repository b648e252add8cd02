package io.rcproxy.cluster.testkit;

/**
 * An error reply ({@code -MOVED 3999 127.0.0.1:7002}) as a value, so a test can assert on it
 * instead of catching an exception. Immutable; safe on any thread.
 *
 * @param message the reply text without the leading {@code -} and the trailing CRLF
 */
public record RedisErrorReply(String message) {

    /** The error prefix Redis puts first ({@code MOVED}, {@code ASK}, {@code CROSSSLOT}, {@code ERR}). */
    public String code() {
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }

    @Override
    public String toString() {
        return "-" + message;
    }
}
