package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RESP3 backend connections that Redis drops come back speaking RESP3 (their HELLO 3 is sent again), so a
 * RESP3 client keeps getting RESP3 replies and a RESP2 client beside it RESP2 ones.
 */
@ExtendWith(RedisClusterExtension.class)
class Resp3ReconnectIT {

    @Test
    void droppedRespThreeConnectionsReconnectInRespThree(@PrivateCluster(masters = 3) RedisClusterProcess cluster) {
        try (RunningProxy proxy = RunningProxy.start(cluster);
             RawConnection three = new RawConnection(proxy.port());
             RawConnection two = new RawConnection(proxy.port())) {
            three.call("HELLO", "3");
            assertEquals(":2\r\n", three.call("HSET", "rc3:h", "f", "v", "g", "w"));
            assertEquals("%2\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\ng\r\n$1\r\nw\r\n", three.call("HGETALL", "rc3:h"));
            for (int port : cluster.masterPorts()) {
                try (RedisTestConnection node = cluster.connect(port)) {
                    node.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
                }
            }
            String reply = three.call("HGETALL", "rc3:h");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (reply.startsWith("-") && System.nanoTime() < deadline) {
                reply = three.call("HGETALL", "rc3:h"); // the first may meet the dropped connection
            }
            assertEquals("%2\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\ng\r\n$1\r\nw\r\n", reply);
            String flat = two.call("HGETALL", "rc3:h");
            while (flat.startsWith("-") && System.nanoTime() < deadline) {
                flat = two.call("HGETALL", "rc3:h");
            }
            assertEquals("*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\ng\r\n$1\r\nw\r\n", flat);
            assertTrue(three.call("CLIENT", "INFO").contains(" resp=3"));
        }
    }
}
