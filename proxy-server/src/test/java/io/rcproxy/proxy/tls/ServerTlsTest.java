package io.rcproxy.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import io.prometheus.client.CollectorRegistry;
import io.rcproxy.proxy.TestCertificates;
import io.rcproxy.proxy.config.ClientTlsConfig;
import io.rcproxy.proxy.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {

    private static ClientTlsConfig config(Path cert, Path key, String provider) {
        return new ClientTlsConfig(6381, cert.toString(), key.toString(), "", "none", List.of("TLSv1.3", "TLSv1.2"),
                List.of(), provider, Duration.ZERO, Duration.ofSeconds(10));
    }

    @Test
    void aChangedCertificateIsTakenAndABrokenOneIsNot(@TempDir Path dir) throws Exception {
        TestCertificates certs = new TestCertificates(dir);
        certs.ca("ca");
        certs.leaf("one", "ca", "DNS:localhost");
        certs.leaf("two", "ca", "DNS:localhost");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.copy(certs.pem("one"), cert);
        Files.copy(certs.key("one"), key);
        for (String provider : List.of("jdk", "openssl")) {
            ServerTls tls = new ServerTls(config(cert, key, provider), new TlsMetrics(new CollectorRegistry()));
            assertFalse(tls.reloadIfChanged(), "nothing changed");
            Files.copy(certs.pem("two"), cert, StandardCopyOption.REPLACE_EXISTING);
            assertFalse(tls.reloadIfChanged(), "the key does not match the certificate yet: the old context stays");
            Files.copy(certs.key("two"), key, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(tls.reloadIfChanged(), "certificate and key swapped");
            assertFalse(tls.reloadIfChanged());
            SslHandler handler = tls.newHandler(ByteBufAllocator.DEFAULT);
            assertEquals(10_000, handler.getHandshakeTimeoutMillis());
            io.netty.util.ReferenceCountUtil.release(handler.engine()); // OpenSSL engines are reference counted
            Files.copy(certs.pem("one"), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(certs.key("one"), key, StandardCopyOption.REPLACE_EXISTING);
            tls.reloadIfChanged();
            tls.close();
        }
    }

    @Test
    void filesThatCannotBeUsedStopStartUpNamingTheKey(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertTrue(assertThrows(InvalidConfigException.class,
                () -> new ServerTls(config(missing, missing, "jdk"), new TlsMetrics(new CollectorRegistry())))
                .getMessage().contains("proxy.tls.cert-file"));
        Path junk = dir.resolve("junk.pem");
        Files.writeString(junk, "not a certificate\n");
        assertTrue(assertThrows(InvalidConfigException.class,
                () -> new ServerTls(config(junk, junk, "jdk"), new TlsMetrics(new CollectorRegistry())))
                .getMessage().startsWith("proxy.tls.cert-file: "));
        TestCertificates certs = new TestCertificates(dir);
        certs.ca("ca");
        certs.leaf("one", "ca", "DNS:localhost");
        certs.leaf("two", "ca", "DNS:localhost");
        assertTrue(assertThrows(InvalidConfigException.class, () -> new ServerTls(
                config(certs.pem("one"), certs.key("two"), "jdk"), new TlsMetrics(new CollectorRegistry())))
                .getMessage().startsWith("proxy.tls.key-file: "), "a key that is not the certificate's");
    }
}
