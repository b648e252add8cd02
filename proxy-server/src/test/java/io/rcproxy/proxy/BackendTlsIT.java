package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS-only cluster (tls-port, tls-cluster, client certificates required, hostnames announced) behind a
 * proxy that speaks TLS to the nodes and to its clients.
 */
class BackendTlsIT {

    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private static TlsRedisCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        certs = new TestCertificates(dir);
        certs.ca("ca");
        certs.leaf("node", "ca", "DNS:localhost"); // not 127.0.0.1: hostname checks need the announced name
        certs.leaf("client", "ca", "DNS:proxy");
        certs.leaf("proxy", "ca", "DNS:localhost,IP:127.0.0.1");
        certs.ca("other-ca");
        cluster = new TlsRedisCluster(dir, certs).start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Map<String, Object> nodeTls(Object... more) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("proxy.cluster.tls.enabled", true);
        settings.put("proxy.cluster.tls.ca-file", certs.pem("ca").toString());
        settings.put("proxy.cluster.tls.cert-file", certs.pem("client").toString());
        settings.put("proxy.cluster.tls.key-file", certs.key("client").toString());
        for (int i = 0; i < more.length; i += 2) {
            settings.put((String) more[i], more[i + 1]);
        }
        return settings;
    }

    @Test
    void aTlsClusterServesClientsOfATlsProxyThroughAnnouncedHostnames() throws Exception {
        int tlsPort = RunningProxy.freePort();
        try (RunningProxy proxy = RunningProxy.start(cluster.seeds("localhost"), nodeTls("proxy.tls.port", tlsPort,
                "proxy.tls.cert-file", certs.pem("proxy").toString(), "proxy.tls.key-file", certs.key("proxy").toString()),
                true);
             RedisTestConnection c = new TlsClients(certs.pem("ca"), null, null).connect(tlsPort)) {
            assertEquals(3, proxy.server().client().slotMap().masters().size());
            assertTrue(proxy.server().client().slotMap().masters().stream()
                    .allMatch(n -> n.address().host().equals("localhost")), "the announced endpoint is dialed");
            for (int i = 0; i < 100; i++) {
                assertEquals("OK", c.call("SET", "tlsc:" + i, "v" + i));
            }
            for (int i = 0; i < 100; i++) {
                assertEquals("v" + i, c.callText("GET", "tlsc:" + i));
            }
            List<?> values = (List<?>) c.call("MGET", "tlsc:1", "tlsc:2", "tlsc:3", "tlsc:99");
            assertEquals(4, values.size());
            assertEquals("v99", new String((byte[]) values.get(3)));
            // Dedicated connections (transactions, blocking calls, subscriptions) are TLS too.
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("INCR", "{tlsc}n"));
            assertEquals(List.of(1L), c.call("EXEC"));
            assertEquals(1L, c.call("RPUSH", "tlsc:list", "x"));
            assertEquals(List.of("tlsc:list", "x"), PinnedTesting.texts(c.call("BLPOP", "tlsc:list", "1")));
            assertEquals(List.of("subscribe", "tlsc:ch", "1"), PinnedTesting.texts(c.call("SUBSCRIBE", "tlsc:ch")));
        }
    }

    @Test
    void hostnamesAreCheckedByDefault() {
        // 127.0.0.1 is not in the nodes' certificate: no seed can be used, so no slot map loads.
        for (String provider : List.of("auto", "jdk")) {
            checkedHostname(provider);
        }
        try (RunningProxy proxy = RunningProxy.start(cluster.seeds("127.0.0.1"),
                nodeTls("proxy.cluster.tls.verify-hostname", false), true);
             RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("SET", "tlsc:nohost", "1"), "with the check turned off, the IP works");
        }
    }

    private static void checkedHostname(String provider) {
        try (RunningProxy proxy = RunningProxy.start(cluster.seeds("127.0.0.1"), nodeTls("proxy.tls.provider", provider),
                false);
             RedisTestConnection c = proxy.connect()) {
            AdminHttp.Response ready = awaitReadinessReason(proxy);
            assertEquals(503, ready.status());
            assertTrue(ready.body().toLowerCase().contains("certificate") || ready.body().contains("SSL")
                    || ready.body().contains("No subject alternative"), ready.body());
            Object reply = c.callRaw("GET", "tlsc:1");
            assertTrue(reply instanceof RedisErrorReply e && e.message().startsWith("CLUSTERDOWN"), String.valueOf(reply));
        }
    }

    @Test
    void aNodeCertificateFromAnotherCaIsRefused() {
        try (RunningProxy proxy = RunningProxy.start(cluster.seeds("localhost"),
                nodeTls("proxy.cluster.tls.ca-file", certs.pem("other-ca").toString()), false);
             RedisTestConnection c = proxy.connect()) {
            AdminHttp.Response ready = awaitReadinessReason(proxy);
            assertEquals(503, ready.status());
            Object reply = c.callRaw("GET", "tlsc:1");
            assertTrue(reply instanceof RedisErrorReply e && e.message().startsWith("CLUSTERDOWN"), String.valueOf(reply));
        }
    }

    @Test
    void nodesThatRequireAClientCertificateRefuseAProxyWithout() {
        Map<String, Object> settings = nodeTls();
        settings.remove("proxy.cluster.tls.cert-file");
        settings.remove("proxy.cluster.tls.key-file");
        try (RunningProxy proxy = RunningProxy.start(cluster.seeds("localhost"), settings, false);
             RedisTestConnection c = proxy.connect()) {
            assertEquals(503, awaitReadinessReason(proxy).status());
            Object reply = c.callRaw("GET", "tlsc:1");
            assertTrue(reply instanceof RedisErrorReply, String.valueOf(reply));
        }
    }

    /** Readiness after the first topology attempts had time to fail. */
    private static AdminHttp.Response awaitReadinessReason(RunningProxy proxy) {
        AdminHttp.Response ready = AdminHttp.get(proxy.metricsPort(), "/health/ready");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!ready.body().contains("no node answered") && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            ready = AdminHttp.get(proxy.metricsPort(), "/health/ready");
        }
        return ready;
    }
}
