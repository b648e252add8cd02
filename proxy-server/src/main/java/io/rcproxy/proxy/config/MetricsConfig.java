package io.rcproxy.proxy.config;

/**
 * The HTTP listener for {@code /metrics}, {@code /health/live} and {@code /health/ready}.
 *
 * @param enabled false: no listener at all (metrics are still recorded, just not served)
 * @param bind    address to listen on; the default keeps it on loopback
 * @param port    port to listen on; 0 picks a free one (tests)
 */
public record MetricsConfig(boolean enabled, String bind, int port) {
}
