package io.rcproxy.proxy.config;

import java.util.List;

/**
 * TLS for the proxy's connections to the cluster's nodes: {@code proxy.cluster.tls} in reference.conf.
 *
 * @param enabled        connect to the nodes over TLS (their TLS ports, as CLUSTER SHARDS announces them)
 * @param caFile         PEM CA bundle the nodes' certificates must chain to; empty: the JVM's trust store
 * @param verifyPeer     check the node's certificate chain; false trusts any certificate (tests only)
 * @param verifyHostname check that the certificate names the host the proxy connected to
 * @param certFile       the proxy's client certificate for nodes that ask for one; empty for none
 * @param keyFile        its PEM private key (PKCS#8)
 * @param protocols      TLS versions offered
 * @param ciphers        cipher suites offered (as {@code proxy.tls.ciphers})
 * @param provider       auto, jdk or openssl, as {@code proxy.tls.provider}
 */
public record BackendTlsConfig(boolean enabled, String caFile, boolean verifyPeer, boolean verifyHostname,
                               String certFile, String keyFile, List<String> protocols, List<String> ciphers,
                               String provider) {

    public static final BackendTlsConfig OFF = new BackendTlsConfig(false, "", true, true, "", "",
            List.of("TLSv1.3", "TLSv1.2"), List.of(), "auto");

    String describe() {
        return !enabled ? "off" : "ca-file=" + (caFile.isEmpty() ? "(JVM trust store)" : caFile)
                + " verify-peer=" + verifyPeer + " verify-hostname=" + verifyHostname
                + " client-cert=" + (certFile.isEmpty() ? "none" : certFile);
    }
}
