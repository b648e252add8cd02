package io.rcproxy.proxy;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** Blocking TLS client sockets for tests: a CA to trust, optionally a client certificate. */
final class TlsClients {

    private final SSLContext context;

    TlsClients(Path caPem, Path certPem, Path keyPem) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .trustManager(caPem.toFile());
            if (certPem != null) {
                builder.keyManager(certPem.toFile(), keyPem.toFile());
            }
            this.context = ((JdkSslContext) builder.build()).context();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A handshaken TLS socket to 127.0.0.1:port; throws when the handshake fails. */
    SSLSocket open(int port) throws IOException {
        return open(port, null);
    }

    /** As {@link #open(int)}, offering only {@code protocol} (null: the JDK's defaults). */
    SSLSocket open(int port, String protocol) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        if (protocol != null) {
            socket.setEnabledProtocols(new String[] {protocol});
        }
        socket.startHandshake();
        return socket;
    }

    RedisTestConnection connect(int port) throws IOException {
        return RedisTestConnection.over(open(port));
    }

    /** The certificate the server presented on {@code socket}. */
    static X509Certificate peer(SSLSocket socket) throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
}
