package io.rcproxy.proxy.config;

/**
 * The HTTP listener for {@code /metrics}, {@code /health/live} and {@code /health/ready}.
 *
 * @param enabled       false: no listener at all (metrics are still recorded, just not served)
 * @param bind          address to listen on; the default keeps it on loopback
 * @param port          port to listen on; 0 picks a free one (tests)
 * @param tokenFile     a file holding a bearer token that {@code /metrics} requests must send
 *                      ({@code Authorization: Bearer <token>}); empty: no token
 * @param protectHealth whether the health paths need the token too
 */
public record MetricsConfig(boolean enabled, String bind, int port, String tokenFile, boolean protectHealth) {

    /** No token. */
    public MetricsConfig(boolean enabled, String bind, int port) {
        this(enabled, bind, port, "", false);
    }
}
