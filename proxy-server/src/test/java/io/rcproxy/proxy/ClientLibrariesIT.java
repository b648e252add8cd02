package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.role.RedisInstance;
import io.lettuce.core.models.role.RoleParser;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientAttributeOption;
import redis.clients.jedis.resps.Slowlog;

/** Real client libraries parse the proxy's admin replies: ROLE, CONFIG GET, SLOWLOG, CLIENT LIST, CLUSTER. */
@ExtendWith(RedisClusterExtension.class)
class ClientLibrariesIT {

    private static RunningProxy proxy;

    @BeforeAll
    static void start(RedisClusterProcess cluster) {
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void jedisParsesRoleConfigSlowlogAndCluster() {
        try (Jedis jedis = new Jedis("127.0.0.1", proxy.port())) {
            assertEquals("master", String.valueOf(jedis.role().get(0)));
            Map<String, String> config = jedis.configGet("maxmemory*");
            assertTrue(config.containsKey("maxmemory-policy"), config.toString());
            jedis.configSet("slowlog-log-slower-than", "0");
            try {
                jedis.set("lib:k", "v");
                List<Slowlog> log = jedis.slowlogGet(5);
                assertFalse(log.isEmpty());
                assertTrue(log.get(0).getClientName().startsWith("127.0.0.1:"), "the node's address");
            } finally {
                jedis.configSet("slowlog-log-slower-than", "10000");
            }
            assertTrue(jedis.clusterInfo().contains("cluster_state:ok"));
            assertEquals(12182L, jedis.clusterKeySlot("foo"));
            assertTrue(jedis.clientList().contains(" tot-mem="));
            assertEquals("OK", jedis.clientSetInfo(ClientAttributeOption.LIB_NAME, "mine"));
            assertTrue(jedis.clientInfo().contains(" lib-name=mine "));
        }
    }

    @Test
    void lettuceParsesRoleAndClientList() {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", proxy.port()));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> sync = connection.sync();
            RedisInstance role = RoleParser.parse(sync.role());
            assertEquals(RedisInstance.Role.MASTER, role.getRole());
            assertTrue(sync.clientList().contains(" lib-name=Lettuce "), "Lettuce sends CLIENT SETINFO on connect");
            assertTrue(sync.info("stats").contains("total_commands_processed:"));
            assertEquals("OK", sync.configResetstat());
        } finally {
            client.shutdown();
        }
    }
}
