package io.rcproxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.internal.connection.DedicatedPoolOptions;
import io.rcproxy.cluster.internal.connection.Transport;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.topology.HostAndPort;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterClientConfigTest {

    private static final List<HostAndPort> SEEDS = List.of(new HostAndPort("127.0.0.1", 7000));

    @Test
    void builderStartsFromTheDefaults() {
        ClusterClientConfig config = ClusterClientConfig.builder(SEEDS).build();
        assertEquals(SEEDS, config.seeds());
        assertEquals(4, config.connectionsPerNode());
        assertEquals(Duration.ofSeconds(2), config.connectTimeout());
        assertEquals(Duration.ofSeconds(5), config.commandTimeout());
        assertEquals(5, config.maxRedirects());
        assertEquals(Duration.ofSeconds(30), config.refreshInterval());
        assertEquals(Duration.ofMillis(100), config.minRefreshInterval());
        assertEquals(RespLimits.DEFAULT, config.limits());
        assertEquals(Transport.best(), config.transport());
        assertEquals(Runtime.getRuntime().availableProcessors(), config.eventLoops());
        assertFalse(config.hasAuth());
        assertEquals(ClusterClientConfig.DEFAULT_RETRY_WINDOW, config.retryWindow());
        assertTrue(config.awaitTopology());
        assertEquals(DedicatedPoolOptions.DEFAULT, config.dedicatedPool());
    }

    @Test
    void toBuilderChangesOnlyWhatIsSet() {
        ClusterClientConfig original = ClusterClientConfig.builder(SEEDS).eventLoops(3).auth("u", "p")
                .retryWindow(Duration.ofSeconds(1)).awaitTopology(false).maxRedirects(2).build();
        assertEquals(original, original.toBuilder().build());

        ClusterClientConfig changed = original.toBuilder().connectionsPerNode(7).build();
        assertEquals(7, changed.connectionsPerNode());
        assertEquals(original, changed.toBuilder().connectionsPerNode(original.connectionsPerNode()).build());
    }

    @Test
    void buildValidatesTheSettingsTogether() {
        assertThrows(IllegalArgumentException.class, () -> ClusterClientConfig.builder(SEEDS).auth("u", "").build());
        assertThrows(IllegalArgumentException.class,
                () -> ClusterClientConfig.builder(SEEDS).connectionsPerNode(0).build());
        assertThrows(IllegalArgumentException.class, () -> ClusterClientConfig.builder(List.of()).build());
    }

    @Test
    void printsNoPassword() {
        String text = ClusterClientConfig.builder(SEEDS).auth("", "secret").build().toString();
        assertFalse(text.contains("secret"), text);
    }
}
