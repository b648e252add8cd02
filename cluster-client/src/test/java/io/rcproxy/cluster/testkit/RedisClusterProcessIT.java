package io.rcproxy.cluster.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisClusterExtension.class)
class RedisClusterProcessIT {

    @Test
    void sharedClusterHasFiveMastersCoveringEverySlotExactlyOnce(RedisClusterProcess cluster) {
        List<Integer> masters = cluster.masterPorts();
        assertEquals(5, masters.size());
        try (RedisTestConnection c = cluster.connect(masters.get(0))) {
            List<SlotRange> ranges = SlotRange.fromClusterSlots(c.call("CLUSTER", "SLOTS"));
            int[] owners = new int[RedisClusterProcess.SLOTS];
            for (SlotRange range : ranges) {
                for (int slot = range.start(); slot <= range.end(); slot++) {
                    assertEquals(0, owners[slot], "slot " + slot + " listed twice");
                    owners[slot] = range.masterPort();
                }
            }
            Set<Integer> owningPorts = new HashSet<>();
            for (int slot = 0; slot < owners.length; slot++) {
                assertNotEquals(0, owners[slot], "slot " + slot + " not covered");
                owningPorts.add(owners[slot]);
            }
            assertEquals(new HashSet<>(masters), owningPorts);
        }
    }

    @Test
    void setAndGetWorkOnTheOwnerAndOtherNodesAnswerMoved(RedisClusterProcess cluster) {
        byte[] key = "testkit:{user1000}:name".getBytes(StandardCharsets.UTF_8);
        int slot;
        try (RedisTestConnection any = cluster.connect(cluster.allPorts().get(0))) {
            slot = ((Long) any.call("CLUSTER".getBytes(StandardCharsets.UTF_8),
                    "KEYSLOT".getBytes(StandardCharsets.UTF_8), key)).intValue();
        }
        int owner = cluster.portOwningSlot(slot);
        try (RedisTestConnection c = cluster.connect(owner)) {
            assertEquals("OK", c.call("SET".getBytes(StandardCharsets.UTF_8), key, new byte[] {0, (byte) 0xff, 'x'}));
            assertArrayEquals(new byte[] {0, (byte) 0xff, 'x'},
                    (byte[]) c.call("GET".getBytes(StandardCharsets.UTF_8), key));
            assertEquals(1L, c.call("DEL".getBytes(StandardCharsets.UTF_8), key));
            assertNull(c.call("GET".getBytes(StandardCharsets.UTF_8), key));
        }
        int other = cluster.masterPorts().stream().filter(p -> p != owner).findFirst().orElseThrow();
        try (RedisTestConnection c = cluster.connect(other)) {
            RedisErrorReply moved = assertInstanceOf(RedisErrorReply.class,
                    c.callRaw("GET".getBytes(StandardCharsets.UTF_8), key));
            assertEquals("MOVED", moved.code());
            assertEquals("MOVED " + slot + " " + RedisClusterProcess.HOST + ":" + owner, moved.message());
            RedisTestException thrown = assertThrows(RedisTestException.class,
                    () -> c.call("GET".getBytes(StandardCharsets.UTF_8), key));
            assertEquals(moved, thrown.reply());
        }
    }

    @Test
    void pipelinedRawCommandsAreAnsweredInOrder(RedisClusterProcess cluster) {
        try (RedisTestConnection c = cluster.connect(cluster.allPorts().get(0))) {
            byte[] ping = RedisTestConnection.command("PING");
            byte[] echo = RedisTestConnection.command("ECHO", "hello");
            byte[] pipeline = new byte[ping.length + echo.length + 6];
            System.arraycopy(ping, 0, pipeline, 0, ping.length);
            System.arraycopy(echo, 0, pipeline, ping.length, echo.length);
            System.arraycopy("PING\r\n".getBytes(StandardCharsets.US_ASCII), 0, pipeline, ping.length + echo.length, 6);
            c.sendRaw(pipeline);
            assertEquals("PONG", c.readReply());
            assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), (byte[]) c.readReply());
            assertEquals("PONG", c.readReply());
        }
    }

    @Test
    void stoppedMasterRestartsOnItsPortAndRejoins(@PrivateCluster(masters = 3) RedisClusterProcess cluster) {
        int port = cluster.masterPorts().get(1);
        String id = cluster.nodeId(port);

        cluster.stopNode(port);
        assertFalse(cluster.seeds().contains(RedisClusterProcess.HOST + ":" + port));

        cluster.restartNode(port);
        try (RedisTestConnection c = cluster.connect(port)) {
            assertEquals(id, c.callText("CLUSTER", "MYID"));
            assertTrue(c.callText("CLUSTER", "INFO").contains("cluster_state:ok"));
        }
        assertEquals(3, cluster.masterPorts().size());
        assertNull(ClusterReadiness.coverageProblem(cluster.slotRanges()));
    }

    @Test
    void replicasFollowTheirMastersAndAppearInClusterSlots() {
        try (RedisClusterProcess cluster = RedisClusterProcess.startNew(2, 1)) {
            assertEquals(2, cluster.masterPorts().size());
            assertEquals(2, cluster.replicaPorts().size());
            for (SlotRange range : cluster.slotRanges()) {
                assertEquals(1, range.replicaPorts().size(), range.toString());
            }
            int replica = cluster.replicaPorts().get(0);
            cluster.stopNode(replica);
            cluster.restartNode(replica);
            assertEquals(cluster.replicaPorts().size(), 2);
        }
    }

    @Test
    void closeStopsEveryNodeAndIsIdempotent() {
        RedisClusterProcess cluster = RedisClusterProcess.startNew(1, 0);
        int port = cluster.allPorts().get(0);
        cluster.close();
        cluster.close();
        assertTrue(LoopbackPorts.isFree(port), "port " + port + " still bound after close");
    }
}
