package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lettuce with RESP3 set explicitly works through the proxy as against one Redis 7.0. */
@ExtendWith(RedisClusterExtension.class)
class LettuceResp3IT {

    private static RedisClusterProcess cluster;
    private static RunningProxy proxy;
    private static RedisClient client;

    @BeforeAll
    static void start(RedisClusterProcess shared) {
        cluster = shared;
        proxy = RunningProxy.start(shared);
        client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(proxy.port())
                .withTimeout(Duration.ofSeconds(10)).build());
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
    }

    @AfterAll
    static void stop() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        proxy.close();
    }

    @Test
    void connectsWithRespThree() {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertTrue(c.sync().clientInfo().contains(" resp=3"), c.sync().clientInfo());
            // At least this one: a connection another test closed may still be leaving.
            double resp3 = AdminHttp.metric(proxy.metricsPort(), "redis_proxy_resp3_client_connections", Map.of());
            assertTrue(resp3 >= 1.0, "RESP3 clients gauge: " + resp3);
        }
    }

    @Test
    void aDefaultLettuceClientNowNegotiatesRespThree() {
        RedisClient plain = RedisClient.create(RedisURI.create("127.0.0.1", proxy.port()));
        try (StatefulRedisConnection<String, String> c = plain.connect()) {
            assertTrue(c.sync().clientInfo().contains(" resp=3"), "HELLO 3 succeeds, so no fallback to RESP2");
            c.sync().hset("lr3:default:h", "f", "v");
            assertEquals(Map.of("f", "v"), c.sync().hgetall("lr3:default:h"));
        } finally {
            plain.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void aPipelineAcrossAllMastersGetsEveryReplyInOrder() throws Exception {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisAsyncCommands<String, String> async = c.async();
            c.setAutoFlushCommands(false);
            Set<Integer> masters = new HashSet<>();
            List<RedisFuture<String>> sets = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String key = "lr3:p:" + i;
                masters.add(cluster.portOwningSlot(SlotHash.slot(key.getBytes(StandardCharsets.UTF_8))));
                sets.add(async.set(key, "v" + i));
            }
            List<RedisFuture<String>> gets = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                gets.add(async.get("lr3:p:" + i));
            }
            c.flushCommands();
            assertTrue(LettuceFutures.awaitAll(Duration.ofSeconds(10), sets.toArray(new RedisFuture[0])));
            assertTrue(LettuceFutures.awaitAll(Duration.ofSeconds(10), gets.toArray(new RedisFuture[0])));
            assertEquals(new HashSet<>(cluster.masterPorts()), masters, "the keys cover every master");
            for (int i = 0; i < 500; i++) {
                assertEquals("v" + i, gets.get(i).get());
            }
            c.setAutoFlushCommands(true);
        }
    }

    @Test
    void aTransactionRunsAtomicallyAndMapsStayMaps() {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> sync = c.sync();
            sync.del("{lr3}n", "{lr3}h");
            assertEquals("OK", sync.multi());
            sync.incr("{lr3}n");
            sync.hset("{lr3}h", "f", "v");
            sync.hgetall("{lr3}h");
            TransactionResult result = sync.exec();
            assertFalse(result.wasDiscarded());
            assertEquals(3, result.size());
            assertEquals(1L, (Long) result.get(0));
            assertEquals(Map.of("f", "v"), result.get(2));
        }
    }

    @Test
    void subscribedConnectionKeepsRunningCommandsAndGetsMessagesAsPushes() throws InterruptedException {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             StatefulRedisConnection<String, String> pub = client.connect()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    messages.add(channel + ":" + message);
                }
            });
            pub.sync().set("lr3:sub:k", "v");
            sub.sync().subscribe("lr3:news");
            assertEquals("v", sub.sync().get("lr3:sub:k"), "a GET on the subscribed connection");
            assertEquals("PONG", sub.sync().ping());
            pub.sync().publish("lr3:news", "hello");
            assertEquals("lr3:news:hello", messages.poll(10, TimeUnit.SECONDS));
            assertEquals(List.of(KeyValue.just("lr3:sub:k", "v"), KeyValue.empty("lr3:sub:none")),
                    sub.sync().mget("lr3:sub:k", "lr3:sub:none"));
            pub.sync().publish("lr3:news", "again");
            assertEquals("lr3:news:again", messages.poll(10, TimeUnit.SECONDS));
            sub.sync().unsubscribe("lr3:news");
            assertEquals("v", sub.sync().get("lr3:sub:k"));
        }
    }

    @Test
    void crossSlotMgetAndHashesCome() {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> sync = c.sync();
            sync.mset(Map.of("lr3:m:a", "1", "lr3:m:b", "2", "lr3:m:c", "3"));
            assertEquals(List.of(KeyValue.just("lr3:m:a", "1"), KeyValue.empty("lr3:m:none"),
                    KeyValue.just("lr3:m:c", "3"), KeyValue.just("lr3:m:b", "2")),
                    sync.mget("lr3:m:a", "lr3:m:none", "lr3:m:c", "lr3:m:b"));
            assertEquals(3L, sync.exists("lr3:m:a", "lr3:m:b", "lr3:m:c", "lr3:m:none"));
            sync.hset("lr3:m:h", Map.of("x", "1", "y", "2"));
            assertEquals(Map.of("x", "1", "y", "2"), sync.hgetall("lr3:m:h"));
            Object info = sync.info("keyspace");
            assertInstanceOf(String.class, info);
            assertTrue(((String) info).startsWith("# Keyspace"), (String) info);
        }
    }

    @Test
    void scanVisitsEveryKeyOnEveryMaster() {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> sync = c.sync();
            Set<String> written = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                sync.set("lr3:s:" + i, "x");
                written.add("lr3:s:" + i);
            }
            Set<String> seen = new HashSet<>();
            ScanIterator<String> keys = ScanIterator.scan(sync, ScanArgs.Builder.matches("lr3:s:*").limit(20));
            keys.forEachRemaining(seen::add);
            assertEquals(written, seen);
        }
    }
}
