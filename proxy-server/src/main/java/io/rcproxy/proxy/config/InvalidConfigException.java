package io.rcproxy.proxy.config;

/** A setting the proxy cannot start with; the message names the key. Start-up exits with code 2. */
public final class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(message);
    }
}
