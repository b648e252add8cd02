package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.masterOf;
import static io.rcproxy.proxy.PinnedTesting.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keyspace notifications through the proxy: each master publishes its own keys' events, so notification
 * channels and patterns are subscribed on every master and none is lost.
 */
@ExtendWith(RedisClusterExtension.class)
class KeyspaceNotificationsIT {

    private static final int KEYS = 50;
    private static RunningProxy proxy;
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void start(RedisClusterProcess c) {
        cluster = c;
        notifications("KEA");
        proxy = RunningProxy.start(c);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        notifications("");
    }

    private static void notifications(String flags) {
        for (int port : cluster.masterPorts()) {
            try (RedisTestConnection node = cluster.connect(port)) {
                node.call("CONFIG", "SET", "notify-keyspace-events", flags);
            }
        }
    }

    /** SETs {@code KEYS} keys and returns the masters they landed on. */
    private static Set<Integer> setKeys(RedisTestConnection c, String prefix) {
        Set<Integer> masters = new HashSet<>();
        for (int i = 0; i < KEYS; i++) {
            assertEquals("OK", c.call("SET", prefix + i, "v"));
            masters.add(masterOf(cluster, prefix + i));
        }
        return masters;
    }

    @Test
    void aKeyeventPatternReceivesEveryMastersEvents() {
        try (RedisTestConnection sub = proxy.connect(); RedisTestConnection c = proxy.connect()) {
            sub.sendRaw(RedisTestConnection.command("PSUBSCRIBE", "__keyevent@0__:set"));
            assertEquals(List.of("psubscribe", "__keyevent@0__:set", "1"), texts(sub.readReply()));
            assertEquals(cluster.masterPorts().size(), setKeys(c, "kn:a:").size(), "keys on every master");
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < KEYS; i++) {
                List<String> message = texts(sub.readReply());
                assertEquals(List.of("pmessage", "__keyevent@0__:set", "__keyevent@0__:set"), message.subList(0, 3));
                keys.add(message.get(3));
            }
            assertEquals(KEYS, keys.size(), "all 50 events, each once");
            c.call("SET", "kn:a:last", "v");
            assertEquals("kn:a:last", texts(sub.readReply()).get(3), "no duplicate before the last event");
        }
    }

    @Test
    void anExactKeyeventChannelReceivesEveryMastersEvents() {
        try (RedisTestConnection sub = proxy.connect(); RedisTestConnection c = proxy.connect()) {
            sub.sendRaw(RedisTestConnection.command("SUBSCRIBE", "__keyevent@0__:del"));
            assertEquals(List.of("subscribe", "__keyevent@0__:del", "1"), texts(sub.readReply()));
            setKeys(c, "kn:b:");
            for (int i = 0; i < KEYS; i++) {
                assertEquals(1L, c.call("DEL", "kn:b:" + i));
            }
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < KEYS; i++) {
                List<String> message = texts(sub.readReply());
                assertEquals(List.of("message", "__keyevent@0__:del"), message.subList(0, 2));
                keys.add(message.get(2));
            }
            assertEquals(KEYS, keys.size());
            assertEquals(List.of("__keyevent@0__:del", "1"),
                    texts(c.call("PUBSUB", "NUMSUB", "__keyevent@0__:del")), "one subscriber, on every master");
        }
    }

    @Test
    void aKeyspacePatternSeesEachKeysEventOnce() {
        try (RedisTestConnection sub = proxy.connect(); RedisTestConnection c = proxy.connect()) {
            sub.sendRaw(RedisTestConnection.command("PSUBSCRIBE", "__keyspace@0__:kn:c:*"));
            assertEquals(List.of("psubscribe", "__keyspace@0__:kn:c:*", "1"), texts(sub.readReply()));
            setKeys(c, "kn:c:");
            Set<String> channels = new HashSet<>();
            for (int i = 0; i < KEYS; i++) {
                List<String> message = texts(sub.readReply());
                assertEquals("set", message.get(3));
                channels.add(message.get(2));
            }
            assertEquals(KEYS, channels.size());
        }
    }
}
