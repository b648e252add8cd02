package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.eventually;
import static io.rcproxy.proxy.PinnedTesting.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A subscribed channel follows its slot to a new master, so PUBLISH (sent to the new owner) counts it again. */
@ExtendWith(RedisClusterExtension.class)
class PubSubSlotMoveIT {

    private static final String CHANNEL = "{pubsubmove}news";

    @Test
    void aChannelFollowsItsSlotToTheNewMaster(@PrivateCluster(masters = 3) RedisClusterProcess cluster)
            throws Exception {
        int slot = SlotHash.slot(CHANNEL.getBytes(StandardCharsets.UTF_8));
        int sourcePort = cluster.portOwningSlot(slot);
        int targetPort = cluster.masterPorts().stream().filter(p -> p != sourcePort).findFirst().orElseThrow();
        String targetId = cluster.nodeId(targetPort);
        try (RunningProxy proxy = RunningProxy.start(cluster);
             RedisTestConnection sub = proxy.connect(); RedisTestConnection c = proxy.connect()) {
            sub.sendRaw(RedisTestConnection.command("SUBSCRIBE", CHANNEL));
            assertEquals(List.of("subscribe", CHANNEL, "1"), texts(sub.readReply()));
            assertEquals(1L, c.call("PUBLISH", CHANNEL, "before"));
            assertEquals(List.of("message", CHANNEL, "before"), texts(sub.readReply()));

            for (int port : cluster.masterPorts()) {
                try (RedisTestConnection node = cluster.connect(port)) {
                    node.call("CLUSTER", "SETSLOT", String.valueOf(slot), "NODE", targetId);
                }
            }
            c.call("SET", "{pubsubmove}k", "v"); // MOVED: the proxy learns the new owner
            assertTrue(eventually(() -> Long.valueOf(1).equals(c.call("PUBLISH", CHANNEL, "moving")), 10_000),
                    "PUBLISH on the new owner counts the subscriber");
            assertTrue(eventually(() -> PinnedTesting.backendClients(cluster, sourcePort,
                    l -> l.contains("sub=1")) == 0, 5_000), "unsubscribed from the old owner");
            assertEquals(1L, c.call("PUBLISH", CHANNEL, "after"));
            List<String> message;
            do {
                message = texts(sub.readReply());
                assertEquals(List.of("message", CHANNEL), message.subList(0, 2));
            } while (message.get(2).equals("moving"));
            assertEquals("after", message.get(2), "each message once");
            assertEquals(List.of("message", CHANNEL, "end"), publishAndRead(c, sub));
        }
    }

    private static List<String> publishAndRead(RedisTestConnection c, RedisTestConnection sub) {
        c.call("PUBLISH", CHANNEL, "end");
        return texts(sub.readReply());
    }
}
