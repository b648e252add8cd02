package io.rcproxy.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.HostAndPort;
import io.rcproxy.cluster.topology.SlotMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisClusterExtension.class)
class ClusterClientIT {

    private static ClusterClient connect(RedisClusterProcess cluster) {
        List<HostAndPort> seeds = cluster.seeds().stream().map(HostAndPort::parse).toList();
        return ClusterClient.start(ClusterClientConfig.builder(seeds).eventLoops(2).build());
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void loadsEveryMasterAndEverySlotFromASeed(RedisClusterProcess cluster) {
        try (ClusterClient client = connect(cluster)) {
            SlotMap map = client.slotMap();
            assertTrue(map.coversAllSlots());
            Set<Integer> ports = new HashSet<>();
            for (ClusterNode master : map.masters()) {
                ports.add(master.address().port());
            }
            assertEquals(new HashSet<>(cluster.masterPorts()), ports);
            for (int slot : new int[] {0, 5000, 12182, 16383}) {
                assertEquals(cluster.portOwningSlot(slot), map.owner(slot).address().port());
            }
        }
    }

    @Test
    void setsAndGetsKeysOnEveryMaster(RedisClusterProcess cluster) throws Exception {
        try (ClusterClient client = connect(cluster)) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                writes.add(client.set(("client-it:" + i).getBytes(UTF_8), ("v" + i).getBytes(UTF_8))
                        .toCompletableFuture());
            }
            CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 500; i++) {
                assertArrayEquals(("v" + i).getBytes(UTF_8), await(client.get(("client-it:" + i).getBytes(UTF_8))));
            }
            assertEquals(1L, await(client.del("client-it:7".getBytes(UTF_8))));
            assertEquals(null, await(client.get("client-it:7".getBytes(UTF_8))));
        }
    }

    @Test
    void redisErrorsArriveAsErrorReplies(RedisClusterProcess cluster) throws Exception {
        try (ClusterClient client = connect(cluster)) {
            await(client.execute("SET", "client-it:str", "x"));
            RespValue reply = await(client.execute("INCR", "client-it:str"));
            assertTrue(reply instanceof RespValue.ErrorReply e && e.message().startsWith("ERR"), reply.toString());
            CompletableFuture<Long> failed = client.del("client-it:str".getBytes(UTF_8)).toCompletableFuture();
            assertEquals(1L, failed.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aStaleSlotOwnerIsCorrectedByMoved(RedisClusterProcess cluster) throws Exception {
        try (ClusterClient client = connect(cluster)) {
            byte[] key = "client-it:moved".getBytes(UTF_8);
            int slot = SlotHash.slot(key);
            ClusterNode owner = client.slotMap().owner(slot);
            ClusterNode wrong = client.slotMap().masters().stream().filter(n -> n != owner).findFirst().orElseThrow();
            client.topology().applyMoved(slot, wrong); // pretend the map is stale
            await(client.set(key, "after-moved".getBytes(UTF_8)));
            assertEquals(owner, client.slotMap().owner(slot), "MOVED must patch the slot back");
            assertArrayEquals("after-moved".getBytes(UTF_8), await(client.get(key)));
        }
    }

    @Test
    void startFailsClearlyWhenNoSeedAnswers() {
        ClusterClientConfig config = ClusterClientConfig.builder(List.of(new HostAndPort("127.0.0.1", 1)))
                .eventLoops(1).build();
        ClusterUnavailableException e = assertThrows(ClusterUnavailableException.class,
                () -> ClusterClient.start(config));
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    }

    @Test
    void awaitFullSlotMapReturnsOnceABackgroundLoadCoversEverySlot(RedisClusterProcess cluster) throws Exception {
        List<HostAndPort> seeds = cluster.seeds().stream().map(HostAndPort::parse).toList();
        ClusterClientConfig config = ClusterClientConfig.builder(seeds).eventLoops(1).awaitTopology(false).build();
        try (ClusterClient client = ClusterClient.start(config)) {
            assertTrue(client.awaitFullSlotMap(Duration.ofSeconds(10)));
            assertTrue(client.slotMap().coversAllSlots());
        }
    }

    @Test
    void awaitFullSlotMapGivesUpAfterItsTimeoutWhenNoSeedAnswers() throws Exception {
        ClusterClientConfig config = ClusterClientConfig.builder(List.of(new HostAndPort("127.0.0.1", 1)))
                .eventLoops(1).awaitTopology(false).build();
        try (ClusterClient client = ClusterClient.start(config)) {
            long start = System.nanoTime();
            assertFalse(client.awaitFullSlotMap(Duration.ofMillis(300)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
        }
    }

    @Test
    void commandTimeoutFailsPromptlyWhenANodeStopsAnswering(RedisClusterProcess cluster) throws Exception {
        List<HostAndPort> seeds = cluster.seeds().stream().map(HostAndPort::parse).toList();
        ClusterClientConfig config = ClusterClientConfig.builder(seeds).eventLoops(1)
                .commandTimeout(Duration.ofMillis(500)).build();
        try (ClusterClient client = ClusterClient.start(config)) {
            byte[] key = "client-it:paused".getBytes(UTF_8);
            int port = cluster.portOwningSlot(SlotHash.slot(key));
            try (var direct = cluster.connect(port)) {
                direct.call("CLIENT", "PAUSE", "2000", "ALL");
            }
            long start = System.nanoTime();
            RespValue reply = await(client.execute("GET", "client-it:paused"));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(reply instanceof RespValue.ErrorReply e && e.message().contains("timed out"), reply.toString());
            assertTrue(millis < 1900, "took " + millis + " ms");
            Thread.sleep(2100 - millis);
            assertEquals(null, await(client.get(key)), "the connection recovers after the pause");
        }
    }
}
