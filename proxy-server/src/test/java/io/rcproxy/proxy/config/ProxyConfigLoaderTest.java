package io.rcproxy.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyConfigLoaderTest {

    @Test
    void metricsAndShutdownDefaults() {
        ProxyConfig config = ProxyConfigLoader.fromMap(Map.of());
        assertEquals(new MetricsConfig(true, "127.0.0.1", 9121), config.metrics());
        assertEquals(Duration.ofSeconds(10), config.shutdownGracePeriod());
    }

    @Test
    void metricsCanBeMovedOrDisabled() {
        ProxyConfig config = ProxyConfigLoader.fromMap(Map.of("proxy.metrics.enabled", "false",
                "proxy.metrics.bind", "0.0.0.0", "proxy.metrics.port", "9200",
                "proxy.shutdown.grace-period", "0s"));
        assertFalse(config.metrics().enabled());
        assertEquals("0.0.0.0", config.metrics().bind());
        assertEquals(9200, config.metrics().port());
        assertTrue(config.shutdownGracePeriod().isZero());
    }

    @Test
    void badValuesNameTheirKey() {
        assertMessageStartsWith("proxy.metrics.port:", Map.of("proxy.metrics.port", 70000));
        assertMessageStartsWith("proxy.metrics.enabled:", Map.of("proxy.metrics.enabled", "sometimes"));
        assertMessageStartsWith("proxy.metrics.bind:", Map.of("proxy.metrics.bind", " "));
        assertMessageStartsWith("proxy.shutdown.grace-period:", Map.of("proxy.shutdown.grace-period", "-1s"));
    }

    private static void assertMessageStartsWith(String prefix, Map<String, Object> settings) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ProxyConfigLoader.fromMap(settings));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
