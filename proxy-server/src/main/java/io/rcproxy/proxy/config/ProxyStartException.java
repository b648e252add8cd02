package io.rcproxy.proxy.config;

/** The proxy could not start for a reason other than its configuration, e.g. a port already in use. */
public final class ProxyStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProxyStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
