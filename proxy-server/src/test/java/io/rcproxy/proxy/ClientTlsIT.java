package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TLS from clients (proxy.tls) in front of the shared plain cluster. */
@ExtendWith(RedisClusterExtension.class)
class ClientTlsIT {

    @TempDir
    static Path dir;
    private static RedisClusterProcess cluster;
    private static TestCertificates certs;

    @BeforeAll
    static void certificates(RedisClusterProcess shared) {
        cluster = shared;
        certs = new TestCertificates(dir);
        certs.ca("ca");
        certs.leaf("proxy", "ca", "DNS:localhost,IP:127.0.0.1");
        certs.leaf("proxy2", "ca", "DNS:localhost,IP:127.0.0.1");
        certs.leaf("client", "ca", "DNS:client");
        certs.ca("other-ca");
        certs.leaf("intruder", "other-ca", "DNS:client");
    }

    private static Map<String, Object> tls(int port, Object... more) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("proxy.tls.port", port);
        settings.put("proxy.tls.cert-file", certs.pem("proxy").toString());
        settings.put("proxy.tls.key-file", certs.key("proxy").toString());
        for (int i = 0; i < more.length; i += 2) {
            settings.put((String) more[i], more[i + 1]);
        }
        return settings;
    }

    @Test
    void plainAndTlsPortsServeSideBySide() throws IOException {
        try (RunningProxy proxy = RunningProxy.start(cluster, tls(RunningProxy.freePort()));
             RedisTestConnection secure = new TlsClients(certs.pem("ca"), null, null)
                     .connect(proxy.server().tlsAddress().getPort());
             RedisTestConnection plain = proxy.connect()) {
            assertEquals("OK", secure.call("SET", "tls:1", "over tls"));
            assertEquals("over tls", plain.callText("GET", "tls:1"));
            assertEquals("PONG", plain.call("PING"));
            for (int i = 0; i < 200; i++) { // enough to span several TLS records and reads
                secure.sendRaw(RedisTestConnection.command("SET", "tls:p" + i, "v".repeat(i * 10)));
            }
            for (int i = 0; i < 200; i++) {
                assertEquals("OK", secure.readReply());
            }
            assertEquals("v".repeat(1990), secure.callText("GET", "tls:p199"));
        }
    }

    @Test
    void theDefaultProviderIsBoringSslWhenItLoads() {
        assertTrue(io.netty.handler.ssl.OpenSsl.isAvailable(), "netty-tcnative should load here: "
                + io.netty.handler.ssl.OpenSsl.unavailabilityCause());
    }

    @Test
    void tls12And13AreOfferedWithTheDefaultCiphersAndNothingOlder() throws IOException {
        try (RunningProxy proxy = RunningProxy.start(cluster, tls(RunningProxy.freePort()))) {
            int port = proxy.server().tlsAddress().getPort();
            TlsClients clients = new TlsClients(certs.pem("ca"), null, null);
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                SSLSocket socket = clients.open(port, protocol);
                assertEquals(protocol, socket.getSession().getProtocol());
                String cipher = socket.getSession().getCipherSuite();
                assertTrue(cipher.contains("GCM") || cipher.contains("CHACHA20"), cipher);
                try (RedisTestConnection c = RedisTestConnection.over(socket)) {
                    assertEquals("PONG", c.call("PING"));
                }
            }
            assertThrows(IOException.class, () -> clients.open(port, "TLSv1.1").close());
        }
    }

    @Test
    void theRespPortItselfCanSpeakTlsOnly() throws IOException {
        int port = RunningProxy.freePort();
        try (RunningProxy proxy = RunningProxy.start(cluster, tls(port, "proxy.listen.port", port,
                "proxy.tls.provider", "jdk")); // the other tests run with auto: BoringSSL
             RedisTestConnection secure = new TlsClients(certs.pem("ca"), null, null).connect(port)) {
            assertEquals(port, proxy.port());
            assertEquals("PONG", secure.call("PING"));
        }
    }

    @Test
    void mutualTlsRefusesMissingAndForeignClientCertificates() throws IOException {
        try (RunningProxy proxy = RunningProxy.start(cluster, tls(RunningProxy.freePort(),
                "proxy.tls.client-ca-file", certs.pem("ca").toString(), "proxy.tls.client-auth", "require"))) {
            int port = proxy.server().tlsAddress().getPort();
            try (RedisTestConnection ok = new TlsClients(certs.pem("ca"), certs.pem("client"), certs.key("client"))
                    .connect(port)) {
                assertEquals("PONG", ok.call("PING"));
            }
            TlsClients intruder = new TlsClients(certs.pem("ca"), certs.pem("intruder"), certs.key("intruder"));
            TlsClients anonymous = new TlsClients(certs.pem("ca"), null, null);
            for (TlsClients refused : List.of(intruder, anonymous)) {
                // TLS 1.3: the client's side of the handshake may end before the server's check fails.
                assertThrows(Exception.class, () -> {
                    try (RedisTestConnection c = refused.connect(port)) {
                        c.call("PING");
                    }
                });
            }
            double failures = AdminHttp.value(AdminHttp.parse(AdminHttp.get(proxy.metricsPort(), "/metrics").body()),
                    "redis_proxy_tls_handshake_failures_total");
            assertEquals(2.0, failures);
        }
    }

    @Test
    void aCertificateSwappedOnDiskServesNewClientsAndKeepsOldOnes(@TempDir Path live) throws Exception {
        Path cert = live.resolve("tls.crt");
        Path key = live.resolve("tls.key");
        Files.copy(certs.pem("proxy"), cert);
        Files.copy(certs.key("proxy"), key);
        Map<String, Object> settings = tls(RunningProxy.freePort(), "proxy.tls.cert-file", cert.toString(),
                "proxy.tls.key-file", key.toString(), "proxy.tls.reload-interval", "100ms");
        TlsClients clients = new TlsClients(certs.pem("ca"), null, null);
        try (RunningProxy proxy = RunningProxy.start(cluster, settings)) {
            int port = proxy.server().tlsAddress().getPort();
            SSLSocket first = clients.open(port);
            String before = TlsClients.peer(first).getSerialNumber().toString();
            try (RedisTestConnection old = RedisTestConnection.over(first)) {
                assertEquals("PONG", old.call("PING"));
                Files.copy(certs.key("proxy2"), key, StandardCopyOption.REPLACE_EXISTING);
                Files.copy(certs.pem("proxy2"), cert, StandardCopyOption.REPLACE_EXISTING);
                String after = before;
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (after.equals(before) && System.nanoTime() < deadline) {
                    try (SSLSocket probe = clients.open(port)) {
                        after = TlsClients.peer(probe).getSerialNumber().toString();
                    }
                    Thread.sleep(50);
                }
                assertNotEquals(before, after, "new connections get the new certificate");
                assertEquals("PONG", old.call("PING"), "the connection made before the swap is still up");
                assertEquals("OK", old.call("SET", "tls:swap", "1"));
            }
        }
    }

    @Test
    void garbageOnTheTlsPortClosesThatConnectionOnly() throws IOException {
        try (RunningProxy proxy = RunningProxy.start(cluster, tls(RunningProxy.freePort()))) {
            int port = proxy.server().tlsAddress().getPort();
            try (Socket raw = new Socket("127.0.0.1", port)) {
                raw.setSoTimeout(10_000);
                OutputStream out = raw.getOutputStream();
                out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[] {0x16, 0x03, 0x01, 0x7f, (byte) 0xff, 1, 2, 3, 4, 5});
                out.flush();
                InputStream in = raw.getInputStream();
                byte[] buf = new byte[256];
                int n;
                try {
                    while ((n = in.read(buf)) > 0) {
                        assertTrue(n > 0); // at most a TLS alert; never a RESP reply
                        assertNotEquals('+', buf[0]);
                    }
                } catch (SocketException reset) {
                    // Closed with bytes of ours still unread: the kernel answers with a reset, which is a close too.
                }
            }
            try (RedisTestConnection fine = new TlsClients(certs.pem("ca"), null, null).connect(port)) {
                assertEquals("PONG", fine.call("PING"));
            }
            try (RedisTestConnection plain = proxy.connect()) {
                assertEquals("PONG", plain.call("PING"));
            }
        }
    }
}
