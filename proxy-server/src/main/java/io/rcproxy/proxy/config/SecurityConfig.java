package io.rcproxy.proxy.config;

/**
 * Everything about who may connect and how: client authentication ({@code proxy.auth}), TLS from clients
 * ({@code proxy.tls}) and TLS to the nodes ({@code proxy.cluster.tls}).
 *
 * @param auth       the proxy's users and passwords
 * @param clientTls  TLS for client connections
 * @param backendTls TLS for connections to the nodes
 */
public record SecurityConfig(AuthConfig auth, ClientTlsConfig clientTls, BackendTlsConfig backendTls) {

    public static final SecurityConfig OPEN = new SecurityConfig(AuthConfig.OPEN, ClientTlsConfig.OFF,
            BackendTlsConfig.OFF);

    String describe() {
        return "auth=" + auth.describe() + " tls=" + clientTls.describe() + " cluster-tls=" + backendTls.describe();
    }
}
