package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RESET, AUTH and CLIENT LIST/INFO/KILL answered by the proxy for its own clients. */
@ExtendWith(RedisClusterExtension.class)
class ConnectionCommandsIT {

    private static RunningProxy proxy;

    @BeforeAll
    static void startProxy(RedisClusterProcess cluster) {
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @Test
    void resetDropsTheTransactionAndTheSubscriptions() {
        try (RedisTestConnection c = proxy.connect()) {
            c.call("DEL", "{rs}a");
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("SET", "{rs}a", "1"));
            assertEquals("RESET", c.call("RESET"));
            assertNull(c.call("GET", "{rs}a"), "the transaction never ran");
            c.sendRaw(RedisTestConnection.command("SUBSCRIBE", "rs:ch"));
            assertEquals(List.of("subscribe", "rs:ch", "1"), PinnedTesting.texts(c.readReply()));
            assertEquals("RESET", c.call("RESET"));
            assertEquals("OK", c.call("SET", "{rs}a", "2"), "normal mode again");
        }
    }

    @Test
    void clientListShowsTheProxysClients() {
        try (RedisTestConnection a = proxy.connect(); RedisTestConnection b = proxy.connect()) {
            assertEquals("OK", a.call("CLIENT", "SETNAME", "alpha"));
            long idA = (Long) a.call("CLIENT", "ID");
            String list = b.callText("CLIENT", "LIST");
            assertTrue(list.contains("id=" + idA + " addr=127.0.0.1:"), list);
            assertTrue(list.contains(" name=alpha "), list);
            assertTrue(list.contains(" db=0 sub=0 psub=0 "), list);
            assertTrue(list.contains("cmd=client|list"), list);
            String info = a.callText("CLIENT", "INFO");
            assertTrue(info.startsWith("id=" + idA + " "), info);
            assertTrue(info.endsWith("\n") && info.indexOf('\n') == info.length() - 1, "one line");
            assertEquals("id=" + idA + " ", b.callText("CLIENT", "LIST", "ID", Long.toString(idA)).substring(0,
                    ("id=" + idA + " ").length()));
            assertEquals("OK", a.call("CLIENT", "NO-EVICT", "on"));
        }
    }

    @Test
    void clientKillClosesTheChosenClient() {
        try (RedisTestConnection victim = proxy.connect(); RedisTestConnection second = proxy.connect();
             RedisTestConnection killer = proxy.connect()) {
            long id = (Long) victim.call("CLIENT", "ID");
            assertEquals(1L, killer.call("CLIENT", "KILL", "ID", Long.toString(id)));
            assertTrue(victim.isClosedByPeer());
            String info = second.callText("CLIENT", "INFO");
            String addr = info.substring(info.indexOf("addr=") + 5, info.indexOf(' ', info.indexOf("addr=")));
            assertEquals(1L, killer.call("CLIENT", "KILL", "ADDR", addr));
            assertTrue(second.isClosedByPeer());
            assertEquals(0L, killer.call("CLIENT", "KILL", "ID", Long.toString(id)), "gone already");
            assertEquals("ERR No such client", error(killer.callRaw("CLIENT", "KILL", "10.0.0.1:1")));
            assertEquals("PONG", killer.call("PING"));
        }
    }

    @Test
    void authWithoutAConfiguredPasswordIsAnErrorLikeRedis() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?", error(c.callRaw("AUTH", "secret")));
            assertEquals("PONG", c.call("PING"));
        }
    }
}
