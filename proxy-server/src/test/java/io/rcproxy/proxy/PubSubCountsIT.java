package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.masterOf;
import static io.rcproxy.proxy.PinnedTesting.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PUBLISH's receiver count and PUBSUB's introspection through the proxy, against the real cluster: a
 * channel is subscribed on its slot's master and PUBLISH goes there, patterns are on every master, so the
 * counts are those of one Redis, also across two proxy instances.
 */
@ExtendWith(RedisClusterExtension.class)
class PubSubCountsIT {

    private static RunningProxy proxy;
    private static RunningProxy other;
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startProxies(RedisClusterProcess c) {
        cluster = c;
        proxy = RunningProxy.start(c);
        other = RunningProxy.start(c);
    }

    @AfterAll
    static void stopProxies() {
        proxy.close();
        other.close();
    }

    /** Channels {@code prefix0..} until every master owns at least one. */
    private static List<String> channelsOnEveryMaster(String prefix) {
        List<String> channels = new ArrayList<>();
        Set<Integer> masters = new HashSet<>();
        for (int i = 0; masters.size() < cluster.masterPorts().size(); i++) {
            channels.add(prefix + i);
            masters.add(masterOf(cluster, prefix + i));
        }
        return channels;
    }

    private static void subscribe(RedisTestConnection c, String command, List<String> names) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(names);
        c.sendRaw(RedisTestConnection.command(args.toArray(String[]::new)));
        for (int i = 0; i < names.size(); i++) {
            c.readReply();
        }
    }

    @Test
    void publishCountsEverySubscriberOfTheChannelWhateverItsSlot() {
        List<String> channels = channelsOnEveryMaster("pc:ch");
        try (RedisTestConnection one = proxy.connect(); RedisTestConnection two = other.connect();
             RedisTestConnection pub = proxy.connect()) {
            subscribe(one, "SUBSCRIBE", channels);
            subscribe(two, "SUBSCRIBE", channels.subList(0, 1));
            assertEquals(2L, pub.call("PUBLISH", channels.get(0), "m"), "one subscriber per proxy");
            assertEquals(List.of("message", channels.get(0), "m"), texts(one.readReply()));
            assertEquals(List.of("message", channels.get(0), "m"), texts(two.readReply()));
            for (String channel : channels.subList(1, channels.size())) {
                assertEquals(1L, pub.call("PUBLISH", channel, "x"), channel);
                assertEquals(List.of("message", channel, "x"), texts(one.readReply()));
            }
            assertEquals(0L, pub.call("PUBLISH", "pc:nobody", "x"));
        }
    }

    @Test
    void confirmationsCountTheClientsSubscriptionsAcrossMasters() {
        List<String> channels = channelsOnEveryMaster("pc:conf");
        try (RedisTestConnection c = proxy.connect()) {
            List<String> args = new ArrayList<>(List.of("SUBSCRIBE"));
            args.addAll(channels);
            c.sendRaw(RedisTestConnection.command(args.toArray(String[]::new)));
            for (int i = 0; i < channels.size(); i++) {
                assertEquals(List.of("subscribe", channels.get(i), String.valueOf(i + 1)), texts(c.readReply()));
            }
            c.sendRaw(RedisTestConnection.command("PSUBSCRIBE", "pc:p*"));
            assertEquals(List.of("psubscribe", "pc:p*", String.valueOf(channels.size() + 1)), texts(c.readReply()));
            c.sendRaw(RedisTestConnection.command("UNSUBSCRIBE"));
            for (int i = 0; i < channels.size(); i++) {
                assertEquals(String.valueOf(channels.size() - i), texts(c.readReply()).get(2));
            }
            c.sendRaw(RedisTestConnection.command("PUNSUBSCRIBE"));
            assertEquals(List.of("punsubscribe", "pc:p*", "0"), texts(c.readReply()));
            assertEquals("PONG", c.call("PING"), "out of subscriber mode");
        }
    }

    @Test
    void aPatternSubscriberIsCountedOnceAndReceivesEachMessageOnce() {
        List<String> channels = channelsOnEveryMaster("pc:pat:");
        try (RedisTestConnection sub = proxy.connect(); RedisTestConnection both = other.connect();
             RedisTestConnection pub = other.connect()) {
            subscribe(sub, "PSUBSCRIBE", List.of("pc:pat:*"));
            subscribe(both, "SUBSCRIBE", channels.subList(0, 1));
            subscribe(both, "PSUBSCRIBE", List.of("pc:pat:*"));
            assertEquals(3L, pub.call("PUBLISH", channels.get(0), "first"), "pattern, channel and pattern");
            for (String channel : channels) {
                pub.call("PUBLISH", channel, "to " + channel);
            }
            // Messages on channels of different masters may arrive in any order, as in Redis Cluster.
            Set<List<String>> received = new HashSet<>();
            for (int i = 0; i <= channels.size(); i++) {
                received.add(texts(sub.readReply()));
            }
            Set<List<String>> expected = new HashSet<>();
            expected.add(List.of("pmessage", "pc:pat:*", channels.get(0), "first"));
            for (String channel : channels) {
                expected.add(List.of("pmessage", "pc:pat:*", channel, "to " + channel));
            }
            assertEquals(expected, received, "each message once (a duplicate would push one out)");
        }
    }

    @Test
    void confirmationsAndMessagesAreSentUnderClientReplyOff() {
        try (RedisTestConnection sub = proxy.connect(); RedisTestConnection pub = proxy.connect()) {
            sub.sendRaw(RedisTestConnection.command("CLIENT", "REPLY", "OFF"));
            subscribe(sub, "SUBSCRIBE", List.of("ro:ch"));
            sub.sendRaw(RedisTestConnection.command("PSUBSCRIBE", "ro:*"));
            assertEquals(List.of("psubscribe", "ro:*", "2"), texts(sub.readReply()), "Redis pushes it even so");
            assertEquals(2L, pub.call("PUBLISH", "ro:ch", "m"));
            assertEquals(List.of("message", "ro:ch", "m"), texts(sub.readReply()));
            assertEquals(List.of("pmessage", "ro:*", "ro:ch", "m"), texts(sub.readReply()));
            sub.sendRaw(RedisTestConnection.command("UNSUBSCRIBE", "ro:ch"));
            assertEquals(List.of("unsubscribe", "ro:ch", "1"), texts(sub.readReply()));
        }
    }

    @Test
    void pubsubIntrospectionIsMergedOverTheMasters() {
        List<String> channels = channelsOnEveryMaster("pc:intro");
        try (RedisTestConnection one = proxy.connect(); RedisTestConnection two = other.connect();
             RedisTestConnection shard = proxy.connect(); RedisTestConnection c = proxy.connect()) {
            subscribe(one, "SUBSCRIBE", channels);
            subscribe(two, "SUBSCRIBE", channels.subList(0, 2));
            subscribe(one, "PSUBSCRIBE", List.of("pc:intro:a*", "pc:intro:b*"));
            subscribe(two, "PSUBSCRIBE", List.of("pc:intro:a*"));
            subscribe(shard, "SSUBSCRIBE", List.of("{pc}s1", "{pc}s2"));

            Set<String> listed = new HashSet<>(texts(c.call("PUBSUB", "CHANNELS", "pc:intro*")));
            assertEquals(new HashSet<>(channels), listed);
            assertEquals(List.of(channels.get(0), "2", channels.get(2), "1", "pc:none", "0"),
                    texts(c.call("PUBSUB", "NUMSUB", channels.get(0), channels.get(2), "pc:none")));
            assertEquals(2L, c.call("PUBSUB", "NUMPAT"), "unique patterns, though each is on every master");
            assertEquals(Set.of("{pc}s1", "{pc}s2"), new HashSet<>(texts(c.call("PUBSUB", "SHARDCHANNELS", "{pc}*"))));
            assertEquals(List.of("{pc}s1", "1", "{pc}x", "0"), texts(c.call("PUBSUB", "SHARDNUMSUB", "{pc}s1", "{pc}x")));
            assertTrue(c.call("PUBSUB", "HELP") instanceof List<?>);
        }
    }

    @Test
    void patternsAreSubscribedAgainOnEveryMasterAfterTheirConnectionsDrop() throws Exception {
        List<String> channels = channelsOnEveryMaster("pc:re:");
        try (RedisTestConnection sub = proxy.connect(); RedisTestConnection pub = proxy.connect()) {
            subscribe(sub, "PSUBSCRIBE", List.of("pc:re:*"));
            long killed = 0;
            for (int port : cluster.masterPorts()) {
                try (RedisTestConnection node = cluster.connect(port)) {
                    killed += (Long) node.call("CLIENT", "KILL", "TYPE", "pubsub");
                }
            }
            assertTrue(killed >= cluster.masterPorts().size(), "one pattern connection per master was killed");
            for (String channel : channels) {
                assertTrue(PinnedTesting.eventually(() -> Long.valueOf(1).equals(pub.call("PUBLISH", channel, "again")),
                        10_000), "the pattern is back on the master of " + channel);
            }
            Set<String> seen = new HashSet<>();
            while (seen.size() < channels.size()) {
                List<String> message = texts(sub.readReply());
                assertEquals("pc:re:*", message.get(1));
                seen.add(message.get(2));
            }
        }
    }
}
