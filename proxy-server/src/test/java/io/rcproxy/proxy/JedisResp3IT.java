package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Jedis 8 with RESP3 works through the proxy as against one Redis 7.0. */
@ExtendWith(RedisClusterExtension.class)
class JedisResp3IT {

    private static RedisClusterProcess cluster;
    private static RunningProxy proxy;

    @BeforeAll
    static void start(RedisClusterProcess shared) {
        cluster = shared;
        proxy = RunningProxy.start(shared);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static Jedis connect() {
        return new Jedis(new HostAndPort("127.0.0.1", proxy.port()),
                DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).timeoutMillis(10_000).build());
    }

    @Test
    void connectsWithRespThree() {
        try (Jedis jedis = connect()) {
            assertTrue(jedis.clientInfo().contains(" resp=3"), jedis.clientInfo());
        }
    }

    @Test
    void aPipelineAcrossAllMastersGetsEveryReplyInOrder() {
        try (Jedis jedis = connect()) {
            Pipeline pipeline = jedis.pipelined();
            Set<Integer> masters = new HashSet<>();
            List<Response<String>> gets = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String key = "jr3:p:" + i;
                masters.add(cluster.portOwningSlot(SlotHash.slot(key.getBytes(StandardCharsets.UTF_8))));
                pipeline.set(key, "v" + i);
                gets.add(pipeline.get(key));
            }
            Response<Map<String, String>> hash = pipeline.hgetAll("jr3:p:nohash");
            pipeline.sync();
            assertEquals(new HashSet<>(cluster.masterPorts()), masters, "the keys cover every master");
            for (int i = 0; i < 500; i++) {
                assertEquals("v" + i, gets.get(i).get());
            }
            assertEquals(Map.of(), hash.get());
        }
    }

    @Test
    void aTransactionRunsAtomically() {
        try (Jedis jedis = connect()) {
            jedis.del("{jr3}n", "{jr3}h");
            Transaction tx = jedis.multi();
            tx.incr("{jr3}n");
            tx.hset("{jr3}h", "f", "v");
            Response<Map<String, String>> hash = tx.hgetAll("{jr3}h");
            List<Object> results = tx.exec();
            assertEquals(3, results.size());
            assertEquals(1L, results.get(0));
            assertEquals(Map.of("f", "v"), hash.get());
        }
    }

    @Test
    void subscriberGetsMessagesAsPushes() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                events.add("subscribe:" + channel + ":" + count);
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                events.add("message:" + channel + ":" + message);
            }
        };
        try (Jedis sub = connect(); Jedis pub = connect()) {
            Thread reader = new Thread(() -> sub.subscribe(listener, "jr3:news"), "jedis-subscriber");
            reader.start();
            assertTrue(subscribed.await(10, TimeUnit.SECONDS));
            assertEquals("subscribe:jr3:news:1", events.poll(1, TimeUnit.SECONDS));
            pub.publish("jr3:news", "hello");
            assertEquals("message:jr3:news:hello", events.poll(10, TimeUnit.SECONDS));
            // No listener.ping() here: Jedis 8.0.2 registers the handler of a RESP3 PING's reply after it
            // flushed the PING, so a fast reply reaches its reader first and ends the subscription with
            // "Unexpected message". LettuceResp3IT covers PING on a subscribed RESP3 connection.
            listener.unsubscribe();
            reader.join(10_000);
            assertTrue(!reader.isAlive(), "subscribe returns once unsubscribed");
            assertEquals("PONG", sub.ping(), "the connection serves commands again");
        }
    }

    @Test
    void crossSlotMgetAndHashes() {
        try (Jedis jedis = connect()) {
            jedis.mset("jr3:m:a", "1", "jr3:m:b", "2", "jr3:m:c", "3");
            assertEquals(Arrays.asList("1", null, "3", "2"), jedis.mget("jr3:m:a", "jr3:m:none", "jr3:m:c", "jr3:m:b"));
            assertEquals(3L, jedis.exists("jr3:m:a", "jr3:m:b", "jr3:m:c", "jr3:m:none"));
            jedis.hset("jr3:m:h", Map.of("x", "1", "y", "2"));
            assertEquals(Map.of("x", "1", "y", "2"), jedis.hgetAll("jr3:m:h"));
            assertTrue(jedis.info("keyspace").startsWith("# Keyspace"));
        }
    }

    @Test
    void scanVisitsEveryKeyOnEveryMaster() {
        try (Jedis jedis = connect()) {
            Set<String> written = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                jedis.set("jr3:s:" + i, "x");
                written.add("jr3:s:" + i);
            }
            Set<String> seen = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams params = new ScanParams().match("jr3:s:*").count(20);
            do {
                ScanResult<String> page = jedis.scan(cursor, params);
                seen.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            assertEquals(written, seen);
        }
    }
}
