package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MGET, MSET, DEL, UNLINK, EXISTS and TOUCH whose keys span slots: split by slot, merged into one reply. */
@ExtendWith(RedisClusterExtension.class)
class FanOutIT {

    private static final int KEYS = 50;

    private static List<String> keys(String prefix, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(prefix + i);
        }
        return keys;
    }

    private static String[] args(String command, List<String> keys, boolean withValues) {
        List<String> args = new ArrayList<>();
        args.add(command);
        for (String key : keys) {
            args.add(key);
            if (withValues) {
                args.add("v:" + key);
            }
        }
        return args.toArray(String[]::new);
    }

    private static String text(Object bulk) {
        return bulk == null ? null : new String((byte[]) bulk, StandardCharsets.UTF_8);
    }

    private static int slotOf(String key) {
        return SlotHash.slot(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fiftyKeysAcrossSlotsMergeIntoOneReplyEach(RedisClusterProcess cluster) {
        List<String> keys = keys("fan:a:", KEYS);
        Set<Integer> slots = new HashSet<>();
        keys.forEach(k -> slots.add(slotOf(k)));
        assertTrue(slots.size() > 40, "the keys really span many slots");
        try (RunningProxy proxy = RunningProxy.start(cluster); RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call(args("MSET", keys, true)));

            // Missing keys interleaved: nil exactly at their positions.
            List<String> asked = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                asked.add(keys.get(i));
                if (i % 7 == 0) {
                    asked.add("fan:missing:" + i);
                }
            }
            List<?> values = (List<?>) c.call(args("MGET", asked, false));
            assertEquals(asked.size(), values.size());
            for (int i = 0; i < asked.size(); i++) {
                String key = asked.get(i);
                assertEquals(key.startsWith("fan:missing:") ? null : "v:" + key, text(values.get(i)), key);
            }

            List<String> withMissing = new ArrayList<>(keys);
            withMissing.add("fan:missing:x");
            withMissing.add(keys.get(3)); // counted twice, as Redis counts repeated keys
            assertEquals((long) KEYS + 1, c.call(args("EXISTS", withMissing, false)));
            assertEquals((long) KEYS + 1, c.call(args("TOUCH", withMissing, false)));
            assertEquals(10L, c.call(args("DEL", keys.subList(0, 10), false)));
            assertEquals(0L, c.call(args("DEL", keys.subList(0, 10), false)));
            assertEquals((long) KEYS - 10, c.call(args("UNLINK", withMissing, false)));
            assertEquals(0L, c.call(args("EXISTS", keys, false)));
            assertNull(((List<?>) c.call(args("MGET", keys, false))).get(KEYS - 1));
        }
    }

    @Test
    void valuesKeepTheirBytesAndOneSlotStillWorks(RedisClusterProcess cluster) {
        try (RunningProxy proxy = RunningProxy.start(cluster); RedisTestConnection c = proxy.connect()) {
            byte[] binary = {0, '\r', '\n', (byte) 0xff, '$', '*'};
            byte[] empty = {};
            assertEquals("OK", c.call("MSET".getBytes(), "fan:b:1".getBytes(), binary, "fan:b:2".getBytes(), empty));
            List<?> values = (List<?>) c.call("MGET", "fan:b:2", "fan:b:1", "fan:b:2");
            assertArrayEquals(empty, (byte[]) values.get(0));
            assertArrayEquals(binary, (byte[]) values.get(1));
            assertArrayEquals(empty, (byte[]) values.get(2));
            assertEquals("OK", c.call("MSET", "{fan}x", "1", "{fan}y", "2"));
            assertEquals(List.of("1", "2"),
                    ((List<?>) c.call("MGET", "{fan}x", "{fan}y")).stream().map(FanOutIT::text).toList());
        }
    }

    @Test
    void errorsComeFromRedisOrTheProxyAsASingleNodeWouldGiveThem(RedisClusterProcess cluster) {
        try (RunningProxy proxy = RunningProxy.start(cluster); RedisTestConnection c = proxy.connect()) {
            assertEquals("ERR wrong number of arguments for 'mset' command",
                    ((RedisErrorReply) c.callRaw("MSET", "fan:c:1", "1", "fan:c:2")).message());
            assertEquals("ERR wrong number of arguments for 'mget' command",
                    ((RedisErrorReply) c.callRaw("MGET")).message());
            assertEquals(1L, c.call("LPUSH", "fan:c:list", "x"));
            // A wrong type in one part: the MGET of a list is a nil, as on one node; MSET overwrites it.
            List<?> values = (List<?>) c.call("MGET", "fan:c:list", "fan:c:none");
            assertEquals(2, values.size());
            assertNull(values.get(0));
            assertEquals("OK", c.call("MSET", "fan:c:list", "s", "fan:c:other", "t"));
            assertEquals("s", text(c.call("GET", "fan:c:list")));
        }
    }

    @Test
    void pipelineMixingFanOutsAndPlainCommandsKeepsItsOrder(RedisClusterProcess cluster) {
        int rounds = 1000;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < rounds; i++) {
            String a = "fan:p:a" + i;
            String b = "fan:p:b" + i;
            out.writeBytes(RedisTestConnection.command("MSET", a, "x" + i, b, "y" + i));
            out.writeBytes(RedisTestConnection.command("GET", a));
            out.writeBytes(RedisTestConnection.command("MGET", b, "fan:p:none", a));
            out.writeBytes(RedisTestConnection.command("DEL", a, b, "fan:p:none"));
        }
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.limits.max-pending-per-client", 64));
             RedisTestConnection c = proxy.connect()) {
            c.sendRaw(out.toByteArray());
            for (int i = 0; i < rounds; i++) {
                assertEquals("OK", c.readReply(), "MSET #" + i);
                assertEquals("x" + i, text(c.readReply()), "GET #" + i);
                List<?> values = (List<?>) c.readReply();
                assertEquals("y" + i, text(values.get(0)), "MGET #" + i);
                assertNull(values.get(1));
                assertEquals("x" + i, text(values.get(2)));
                assertEquals(2L, c.readReply(), "DEL #" + i);
            }
            assertEquals("PONG", c.call("PING"));
        }
    }

    @Test
    void clientLeavingRightAfterLargeFanOutsLeavesTheProxyHealthy(RedisClusterProcess cluster) {
        List<String> keys = keys("fan:q:", 1000);
        try (RunningProxy proxy = RunningProxy.start(cluster)) {
            for (int round = 0; round < 3; round++) {
                try (RedisTestConnection quitter = proxy.connect()) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.writeBytes(RedisTestConnection.command(args("MSET", keys, true)));
                    out.writeBytes(RedisTestConnection.command(args("MGET", keys, false)));
                    out.writeBytes(RedisTestConnection.command(args("DEL", keys, false)));
                    quitter.sendRaw(out.toByteArray());
                } // gone before the parts are back
            }
            try (RedisTestConnection c = proxy.connect()) {
                assertEquals("OK", c.call(args("MSET", keys.subList(0, 20), true)));
                assertEquals(20, ((List<?>) c.call(args("MGET", keys.subList(0, 20), false))).size());
            }
        }
    }

    @Test
    void partOnASilentMasterTimesOutAndTheFanOutGetsAnError(RedisClusterProcess cluster) throws Exception {
        List<String> keys = keys("fan:t:", KEYS);
        int paused = cluster.masterPorts().get(1);
        assertTrue(keys.stream().anyMatch(k -> cluster.portOwningSlot(slotOf(k)) == paused));
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.cluster.command-timeout", "300ms"));
             RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call(args("MSET", keys, true)));
            try (RedisTestConnection direct = cluster.connect(paused)) {
                direct.call("CLIENT", "PAUSE", "1000", "ALL");
            }
            long start = System.nanoTime();
            RedisErrorReply error = assertInstanceOf(RedisErrorReply.class, c.callRaw(args("MGET", keys, false)));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(error.message().contains("timed out"), error.message());
            assertTrue(millis < 950, "timeout took " + millis + " ms");
            Thread.sleep(Math.max(0, 1200 - millis));
            assertEquals((long) KEYS, c.call(args("EXISTS", keys, false)), "works again once the master answers");
        }
    }

    @Test
    void partOnADeadMasterFailsTheFanOutPromptlyWhileOthersWork(
            @PrivateCluster(masters = 3) RedisClusterProcess cluster) {
        List<String> keys = keys("fan:d:", KEYS);
        int victim = cluster.masterPorts().get(0);
        String liveKey = keys.stream().filter(k -> cluster.portOwningSlot(slotOf(k)) != victim).findFirst().get();
        try (RunningProxy proxy = RunningProxy.start(cluster); RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call(args("MSET", keys, true)));
            cluster.stopNode(victim);
            for (int i = 0; i < 10; i++) {
                long start = System.nanoTime();
                Object reply = c.callRaw(args("MGET", keys, false));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                RedisErrorReply error = assertInstanceOf(RedisErrorReply.class, reply, "MGET #" + i);
                assertTrue(error.message().startsWith("ERR") || error.message().startsWith("CLUSTERDOWN"),
                        error.message());
                assertTrue(millis < 1500, "error took " + millis + " ms");
                assertInstanceOf(RedisErrorReply.class, c.callRaw(args("EXISTS", keys, false)));
                assertEquals("v:" + liveKey, text(c.call("GET", liveKey)), "other slots keep working");
            }
        }
    }
}
