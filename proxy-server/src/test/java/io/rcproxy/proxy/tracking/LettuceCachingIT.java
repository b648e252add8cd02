package io.rcproxy.proxy.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.proxy.RunningProxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lettuce's own client-side cache ({@link ClientSideCaching}, RESP3) through the proxy stays correct while
 * another client writes, through the proxy and directly on the master: every write is followed, within a
 * bounded wait, by the cache serving the new value, and never an older one once it has.
 */
@ExtendWith(RedisClusterExtension.class)
class LettuceCachingIT {

    private static final String KEY = "lc:key";

    @Test
    void lettucesCacheFollowsEveryWrite(RedisClusterProcess cluster) throws Exception {
        int master = cluster.portOwningSlot(SlotHash.slot(KEY.getBytes(StandardCharsets.UTF_8)));
        RedisClient client = RedisClient.create();
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of());
             RawConnection throughProxy = new RawConnection(proxy.port());
             RawConnection direct = new RawConnection(master);
             StatefulRedisConnection<String, String> connection =
                     client.connect(RedisURI.create("127.0.0.1", proxy.port()))) {
            Map<String, String> store = new ConcurrentHashMap<>();
            CacheFrontend<String, String> cache = ClientSideCaching.enable(CacheAccessor.forMap(store), connection,
                    TrackingArgs.Builder.enabled());
            throughProxy.call("SET", KEY, "0");
            assertEquals("0", cache.get(KEY));
            assertEquals("0", store.get(KEY), "cached locally");
            for (int i = 1; i <= 40; i++) {
                RawConnection writer = i % 2 == 0 ? throughProxy : direct;
                writer.call("SET", KEY, Integer.toString(i));
                awaitValue(cache, Integer.toString(i));
                assertEquals(Integer.toString(i), cache.get(KEY), "never an older value once the new one is seen");
            }
            assertTrue(store.containsKey(KEY), "the value is served from the local cache again");
        } finally {
            client.shutdown();
        }
    }

    private static void awaitValue(CacheFrontend<String, String> cache, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        String seen;
        while (!expected.equals(seen = cache.get(KEY))) {
            if (System.nanoTime() > deadline) {
                fail("the cache still serves " + seen + " after the write of " + expected);
            }
            Thread.sleep(5);
        }
    }
}
