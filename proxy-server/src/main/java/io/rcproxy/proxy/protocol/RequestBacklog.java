package io.rcproxy.proxy.protocol;

/**
 * User events {@link RespRequestDecoder} fires down its pipeline about its own pace. {@link #BEHIND}: it
 * stopped decoding to let the event loop serve other connections and holds undecoded bytes; reading more
 * from this client now would only grow them, so the frontend stops reading. {@link #CAUGHT_UP}: everything
 * received has been decoded; reading may resume.
 *
 * <p>Fired on the client connection's event loop, once per change.
 */
public enum RequestBacklog {
    BEHIND,
    CAUGHT_UP
}
