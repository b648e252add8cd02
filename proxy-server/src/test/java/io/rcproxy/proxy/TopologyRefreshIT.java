package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Refreshing a cluster that did not change changes nothing: no new epoch, no "topology changed". */
@ExtendWith(RedisClusterExtension.class)
class TopologyRefreshIT {

    @Test
    void refreshesOfAStableClusterKeepTheEpoch(RedisClusterProcess cluster) throws Exception {
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.cluster.refresh-interval", "100ms"))) {
            ClusterClient client = proxy.server().client();
            FailoverIT.await(() -> client.slotMap().coversAllSlots(), 10, "the slot map");
            long epoch = client.slotMap().epoch();
            long refreshes = client.topology().refreshCount();
            FailoverIT.await(() -> client.topology().refreshCount() >= refreshes + 20, 20, "20 refreshes");
            assertEquals(epoch, client.slotMap().epoch(), "the epoch moved on a stable cluster");
            assertTrue(client.slotMap().coversAllSlots());
        }
    }
}
