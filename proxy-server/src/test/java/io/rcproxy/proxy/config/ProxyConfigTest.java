package io.rcproxy.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyConfigTest {

    @Test
    void describeMasksThePassword() {
        ProxyConfig c = ProxyConfigLoader.fromMap(Map.of("proxy.cluster.password", "hunter2",
                "proxy.cluster.username", "app"));
        String line = c.describe();
        assertFalse(line.contains("hunter2"), line);
        assertTrue(line.contains("password=***"), line);
        assertTrue(line.contains("username=app"), line);
        assertFalse(line.contains("\n"), line);
        assertFalse(c.toString().contains("hunter2"), c.toString());
    }

    @Test
    void describeSaysWhenThereIsNoPassword() {
        String line = ProxyConfigLoader.fromMap(Map.of()).describe();
        assertTrue(line.contains("password=(none)"), line);
        assertTrue(line.startsWith("listen=127.0.0.1:6380 seeds=[127.0.0.1:7001]"), line);
    }

    @Test
    void clusterClientConfigCarriesTheSettings() {
        ProxyConfig c = ProxyConfigLoader.fromMap(Map.of("proxy.cluster.connections-per-node", 3,
                "proxy.io.event-loops", 2));
        assertEquals(3, c.clusterClientConfig().connectionsPerNode());
        assertEquals(2, c.clusterClientConfig().eventLoops());
        assertFalse(c.clusterClientConfig().hasAuth());
    }
}
