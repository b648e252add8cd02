package io.rcproxy.proxy.config;

import java.time.Duration;
import java.util.List;

/**
 * TLS for client connections: {@code proxy.tls} in reference.conf.
 *
 * @param port           0: no TLS listener; {@code proxy.listen.port}: that port speaks TLS only; another
 *                       port: a second listener with TLS beside the plain one
 * @param certFile       PEM certificate chain, the proxy's own first
 * @param keyFile        PEM private key (PKCS#8, {@code BEGIN PRIVATE KEY})
 * @param clientCaFile   PEM CA bundle client certificates must chain to (mTLS); empty for none
 * @param clientAuth     none, optional or require: whether a client certificate is asked for
 * @param protocols      TLS versions offered
 * @param ciphers        cipher suites offered, those the provider lacks left out
 * @param provider       auto (openssl when it loads, else jdk), jdk, or openssl (netty-tcnative-boringssl-static)
 * @param reloadInterval how often the three files are checked for changes; zero: never
 * @param handshakeTimeout how long a client may take to finish the handshake
 */
public record ClientTlsConfig(int port, String certFile, String keyFile, String clientCaFile, String clientAuth,
                              List<String> protocols, List<String> ciphers, String provider,
                              Duration reloadInterval, Duration handshakeTimeout) {

    public static final ClientTlsConfig OFF = new ClientTlsConfig(0, "", "", "", "none",
            List.of("TLSv1.3", "TLSv1.2"), List.of(), "auto", Duration.ZERO, Duration.ofSeconds(10));

    public boolean enabled() {
        return port != 0;
    }

    String describe() {
        return !enabled() ? "off" : "port=" + port + " cert-file=" + certFile + " client-auth=" + clientAuth
                + " protocols=" + protocols + " provider=" + provider;
    }
}
