package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A pipeline spanning every master gets its replies back in request order. */
@ExtendWith(RedisClusterExtension.class)
class PipelineOrderIT {

    private static final int COMMANDS = 10_000;

    private static byte[] pipeline(String run) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < COMMANDS / 2; i++) {
            out.writeBytes(RedisTestConnection.command("SET", run + i, "value-" + i));
            out.writeBytes(RedisTestConnection.command("GET", run + i));
        }
        return out.toByteArray();
    }

    private static void assertRepliesInOrder(RedisTestConnection connection, String run) {
        connection.sendRaw(pipeline(run));
        for (int i = 0; i < COMMANDS / 2; i++) {
            assertEquals("OK", connection.readReply(), "reply to SET #" + i);
            assertArrayEquals(("value-" + i).getBytes(StandardCharsets.UTF_8), (byte[]) connection.readReply(),
                    "reply to GET #" + i);
        }
    }

    @Test
    void tenThousandPipelinedCommandsAcrossAllMastersReturnInOrder(RedisClusterProcess cluster) {
        try (RunningProxy proxy = RunningProxy.start(cluster); RedisTestConnection c = proxy.connect()) {
            assertRepliesInOrder(c, "pipe:a:");
        }
    }

    @Test
    void orderHoldsWhileBackpressurePausesTheClient(RedisClusterProcess cluster) {
        Map<String, Object> tinyWindow = Map.of("proxy.limits.max-pending-per-client", 8);
        try (RunningProxy proxy = RunningProxy.start(cluster, tinyWindow); RedisTestConnection c = proxy.connect()) {
            assertRepliesInOrder(c, "pipe:b:");
        }
    }

    @Test
    void clientLeavingMidPipelineLeavesTheProxyHealthy(RedisClusterProcess cluster) throws Exception {
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.limits.max-pending-per-client", 64))) {
            for (int round = 0; round < 3; round++) {
                try (RedisTestConnection quitter = proxy.connect()) {
                    quitter.sendRaw(pipeline("pipe:d:"));
                    for (int i = 0; i < 10; i++) {
                        quitter.readReply();
                    }
                } // closes with thousands of replies still due
            }
            try (RedisTestConnection c = proxy.connect()) {
                assertEquals("PONG", c.call("PING"));
                assertRepliesInOrder(c, "pipe:e:");
            }
        }
    }

    @Test
    void manyClientsPipelineConcurrentlyWithoutMixingReplies(RedisClusterProcess cluster) throws Exception {
        try (RunningProxy proxy = RunningProxy.start(cluster)) {
            Thread[] clients = new Thread[4];
            Throwable[] failures = new Throwable[clients.length];
            for (int t = 0; t < clients.length; t++) {
                int id = t;
                clients[t] = new Thread(() -> {
                    try (RedisTestConnection c = proxy.connect()) {
                        assertRepliesInOrder(c, "pipe:c" + id + ":");
                    } catch (Throwable e) {
                        failures[id] = e;
                    }
                });
                clients[t].start();
            }
            for (int t = 0; t < clients.length; t++) {
                clients[t].join(60_000);
                if (failures[t] != null) {
                    throw new AssertionError("client " + t + " failed", failures[t]);
                }
            }
        }
    }
}
