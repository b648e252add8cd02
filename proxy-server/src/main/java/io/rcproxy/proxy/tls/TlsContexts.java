package io.rcproxy.proxy.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.rcproxy.proxy.config.BackendTlsConfig;
import io.rcproxy.proxy.config.ClientTlsConfig;
import io.rcproxy.proxy.config.InvalidConfigException;
import java.io.File;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds Netty {@link SslContext}s from the TLS settings: the listener's (certificate, key, optional client
 * CA) and the one for connections to the nodes (CA or the JVM's trust store, optional client certificate).
 * A file that is missing or does not parse is an {@link InvalidConfigException} naming the key. Stateless.
 */
final class TlsContexts {

    private TlsContexts() {
    }

    static SslContext server(ClientTlsConfig config) {
        try {
            KeyPairCheck.check(file(config.certFile(), "proxy.tls.cert-file"), "proxy.tls.cert-file",
                    file(config.keyFile(), "proxy.tls.key-file"), "proxy.tls.key-file");
            SslContextBuilder builder = SslContextBuilder.forServer(file(config.certFile(), "proxy.tls.cert-file"),
                            file(config.keyFile(), "proxy.tls.key-file"))
                    .sslProvider(provider(config.provider()))
                    .protocols(config.protocols())
                    .clientAuth(switch (config.clientAuth()) {
                        case "require" -> ClientAuth.REQUIRE;
                        case "optional" -> ClientAuth.OPTIONAL;
                        default -> ClientAuth.NONE;
                    });
            ciphers(builder, config.ciphers());
            if (!config.clientCaFile().isEmpty()) {
                builder.trustManager(file(config.clientCaFile(), "proxy.tls.client-ca-file"));
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidConfigException("proxy.tls: cannot use " + config.certFile() + " / " + config.keyFile()
                    + (config.clientCaFile().isEmpty() ? "" : " / " + config.clientCaFile()) + ": " + reason(e));
        }
    }

    static SslContext client(BackendTlsConfig config) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .sslProvider(provider(config.provider()))
                    .protocols(config.protocols())
                    // Netty 4.2 checks hostnames by default; the setting decides (NodeTls sets it per engine).
                    .endpointIdentificationAlgorithm(config.verifyPeer() && config.verifyHostname() ? "HTTPS" : null);
            ciphers(builder, config.ciphers());
            if (!config.verifyPeer()) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (!config.caFile().isEmpty()) {
                builder.trustManager(file(config.caFile(), "proxy.cluster.tls.ca-file"));
            }
            if (!config.certFile().isEmpty()) {
                KeyPairCheck.check(file(config.certFile(), "proxy.cluster.tls.cert-file"), "proxy.cluster.tls.cert-file",
                        file(config.keyFile(), "proxy.cluster.tls.key-file"), "proxy.cluster.tls.key-file");
                builder.keyManager(file(config.certFile(), "proxy.cluster.tls.cert-file"),
                        file(config.keyFile(), "proxy.cluster.tls.key-file"));
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidConfigException("proxy.cluster.tls: " + reason(e));
        }
    }

    private static void ciphers(SslContextBuilder builder, List<String> ciphers) {
        if (!ciphers.isEmpty()) {
            builder.ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE);
        }
    }

    /** {@code auto}: BoringSSL when netty-tcnative loads (cheaper per command), else the JDK's. */
    static SslProvider provider(String name) {
        if (name.equals("auto")) {
            return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        }
        if (name.equals("openssl")) {
            if (!OpenSsl.isAvailable()) {
                throw new InvalidConfigException("proxy.tls.provider: openssl needs netty-tcnative-boringssl-static "
                        + "on the class path: " + OpenSsl.unavailabilityCause());
            }
            return SslProvider.OPENSSL;
        }
        return SslProvider.JDK;
    }

    private static File file(String path, String key) {
        File f = new File(path);
        if (!f.isFile()) {
            throw new InvalidConfigException(key + ": no such file " + path);
        }
        return f;
    }

    private static String reason(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
