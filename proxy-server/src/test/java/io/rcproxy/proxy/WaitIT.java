package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** WAIT outside a transaction: on the shared connections the client wrote through, the minimum answer. */
@ExtendWith(RedisClusterExtension.class)
class WaitIT {

    private static RedisClusterProcess cluster;
    private static RunningProxy proxy;

    @BeforeAll
    static void start(@PrivateCluster(masters = 3, replicas = 1) RedisClusterProcess privateCluster) {
        cluster = privateCluster;
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void writesToSeveralMastersAreWaitedForOnEach() {
        try (RedisTestConnection c = proxy.connect()) {
            for (int i = 0; i < 30; i++) {
                c.call("SET", "wait:" + i, "v");
            }
            assertEquals(1L, c.call("WAIT", "1", "2000"), "every master's replica has the writes");
            assertEquals(1L, c.call("WAIT", "5", "100"), "no master has more than one replica");
            assertEquals("OK", c.call("MSET", "wait:a", "1", "wait:b", "2", "wait:c", "3"));
            assertEquals(1L, c.call("WAIT", "1", "2000"), "a fan-out write waits on every master");
        }
    }

    @Test
    void withoutWritesTheAnswerIsImmediate() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals(1L, c.call("WAIT", "1", "0"), "nothing to wait for: each master's one replica");
            assertEquals("ERR timeout is negative", ((RedisErrorReply) c.callRaw("WAIT", "1", "-1")).message());
            assertEquals("ERR value is not an integer or out of range",
                    ((RedisErrorReply) c.callRaw("WAIT", "x", "1")).message());
        }
    }

    @Test
    void theMinimumOverTheMastersWrittenIsTheAnswer() {
        String key = "wait:stopped";
        int master = PinnedTesting.masterOf(cluster, key);
        int replica = cluster.replicaPortsOf(master).get(0);
        try (RedisTestConnection c = proxy.connect()) {
            c.call("SET", key, "before");
            assertEquals(1L, c.call("WAIT", "1", "2000"));
            cluster.stopNode(replica);
            try {
                c.call("SET", key, "after");
                String other = otherMasterKey(master);
                c.call("SET", other, "v");
                long start = System.nanoTime();
                assertEquals(0L, c.call("WAIT", "1", "300"), "one master's replica is down");
                assertTrue(System.nanoTime() - start >= 250_000_000L, "waited for the timeout");
            } finally {
                cluster.restartNode(replica);
            }
        }
    }

    private static String otherMasterKey(int master) {
        for (int i = 0; ; i++) {
            String key = "wait:other:" + i;
            if (PinnedTesting.masterOf(cluster, key) != master) {
                return key;
            }
        }
    }
}
