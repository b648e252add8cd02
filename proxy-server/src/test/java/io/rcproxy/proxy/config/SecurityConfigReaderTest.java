package io.rcproxy.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityConfigReaderTest {

    private static String rejected(Map<String, Object> settings) {
        return assertThrows(InvalidConfigException.class, () -> ProxyConfigLoader.fromMap(settings)).getMessage();
    }

    @Test
    void defaultsAreOpenWithoutTls() {
        SecurityConfig s = ProxyConfigLoader.fromMap(Map.of()).security();
        assertFalse(s.auth().configured());
        assertFalse(s.clientTls().enabled());
        assertFalse(s.backendTls().enabled());
        assertTrue(s.backendTls().verifyPeer() && s.backendTls().verifyHostname(), "checks on by default");
        assertEquals("auto", s.clientTls().provider());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), s.clientTls().protocols());
        assertTrue(s.clientTls().ciphers().contains("TLS_AES_128_GCM_SHA256"));
    }

    @Test
    void badSettingsNameTheirKey() {
        assertTrue(rejected(Map.of("proxy.tls.port", 6381)).startsWith("proxy.tls.port: TLS needs"));
        assertTrue(rejected(Map.of("proxy.tls.client-auth", "require")).contains("client-ca-file"));
        assertTrue(rejected(Map.of("proxy.tls.client-auth", "maybe")).startsWith("proxy.tls.client-auth: expected one of"));
        assertTrue(rejected(Map.of("proxy.tls.provider", "gnutls")).startsWith("proxy.tls.provider"));
        assertTrue(rejected(Map.of("proxy.cluster.tls.cert-file", "/x.pem")).startsWith("proxy.cluster.tls.cert-file"));
        assertTrue(rejected(Map.of("proxy.auth.users", List.of("alice on >pw"))).startsWith("proxy.auth.users"));
        assertTrue(rejected(Map.of("proxy.auth.password", "a", "proxy.auth.users", List.of("user default on nopass")))
                .contains("default user"));
        assertTrue(rejected(Map.of("proxy.auth.password", "a", "proxy.auth.password-file", "/f")).contains("use one"));
        assertTrue(rejected(Map.of("proxy.auth.max-failures-per-connection", 0))
                .startsWith("proxy.auth.max-failures-per-connection"));
    }

    @Test
    void thePasswordNeverShowsInTheDescription() {
        ProxyConfig c = ProxyConfigLoader.fromMap(Map.of("proxy.auth.password", "hunter2"));
        assertTrue(c.security().auth().configured());
        assertFalse(c.describe().contains("hunter2"));
        assertTrue(c.describe().contains("password=***"));
    }
}
