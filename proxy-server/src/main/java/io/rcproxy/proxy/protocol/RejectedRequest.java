package io.rcproxy.proxy.protocol;

/**
 * A well-formed request the decoder did not buffer, in its place in the request stream: its bytes were
 * skipped as they arrived because they did not fit in the buffer budget. The frontend answers it with
 * {@link #error()} in order with the replies before it; the connection stays usable.
 *
 * <p>Holds no buffer: nothing to release.
 *
 * @param error a Redis error reply's text, without the leading {@code -}
 */
public record RejectedRequest(String error) {
}
