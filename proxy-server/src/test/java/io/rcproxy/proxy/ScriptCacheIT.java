package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.masterOf;
import static io.rcproxy.proxy.PinnedTesting.text;
import static io.rcproxy.proxy.PinnedTesting.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A script EVAL ran is cached on every master, as one Redis caches it: EVALSHA works whatever its keys' slot. */
@ExtendWith(RedisClusterExtension.class)
class ScriptCacheIT {

    private static RunningProxy proxy;
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void start(RedisClusterProcess c) {
        cluster = c;
        proxy = RunningProxy.start(c);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static String sha1(String script) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void evalshaFindsAScriptEvalRanOnAnotherMaster() throws Exception {
        String script = "return 'cached ' .. KEYS[1] -- " + System.nanoTime();
        String sha = sha1(script);
        Map<Integer, String> keyPerMaster = new HashMap<>();
        for (int i = 0; keyPerMaster.size() < cluster.masterPorts().size(); i++) {
            keyPerMaster.putIfAbsent(masterOf(cluster, "sc:" + i), "sc:" + i);
        }
        List<String> keys = List.copyOf(keyPerMaster.values());
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("cached " + keys.get(0), text(c.call("EVAL", script, "1", keys.get(0))));
            assertEquals(List.of("1"), texts(c.call("SCRIPT", "EXISTS", sha)), "cached on every master");
            for (String key : keys) {
                assertEquals("cached " + key, text(c.call("EVALSHA", sha, "1", key)), key);
            }
            assertEquals("OK", c.call("SCRIPT", "FLUSH"));
            assertEquals(List.of("0"), texts(c.call("SCRIPT", "EXISTS", sha)));
            assertEquals("cached " + keys.get(1), text(c.call("EVAL", script, "1", keys.get(1))));
            assertEquals(List.of("1"), texts(c.call("SCRIPT", "EXISTS", sha)), "loaded again after the flush");
        }
    }
}
