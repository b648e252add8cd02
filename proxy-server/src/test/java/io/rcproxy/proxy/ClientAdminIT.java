package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.error;
import static io.rcproxy.proxy.PinnedTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CLIENT INFO/LIST fields and CLIENT SETINFO/REPLY/PAUSE/UNPAUSE/UNBLOCK/NO-TOUCH/NO-EVICT, READONLY. */
@ExtendWith(RedisClusterExtension.class)
class ClientAdminIT {

    /** Every field of Redis 7.0's CLIENT LIST, in order, then Redis 7.2's lib-name and lib-ver. */
    private static final List<String> FIELDS = List.of("id", "addr", "laddr", "fd", "name", "age", "idle", "flags",
            "db", "sub", "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl",
            "oll", "omem", "tot-mem", "events", "cmd", "user", "redir", "resp", "lib-name", "lib-ver");

    private static RunningProxy proxy;

    @BeforeAll
    static void start(RedisClusterProcess cluster) {
        proxy = RunningProxy.start(cluster);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static List<String> names(String line) {
        List<String> names = new ArrayList<>();
        for (String field : line.trim().split(" ")) {
            names.add(field.substring(0, field.indexOf('=')));
        }
        return names;
    }

    private static String field(String line, String name) {
        for (String field : line.trim().split(" ")) {
            if (field.startsWith(name + "=")) {
                return field.substring(name.length() + 1);
            }
        }
        throw new AssertionError(name + " not in " + line);
    }

    @Test
    void clientInfoHasEveryFieldRedisPrints() {
        try (RedisTestConnection c = proxy.connect()) {
            String info = c.callText("CLIENT", "INFO");
            assertEquals(FIELDS, names(info), info);
            assertEquals("N", field(info, "flags"));
            assertEquals("r", field(info, "events"));
            assertEquals("-1", field(info, "redir"));
            assertEquals("client|info", field(info, "cmd"));
            long previous = 0;
            for (String line : c.callText("CLIENT", "LIST").split("\n")) {
                assertEquals(FIELDS, names(line), line);
                long id = Long.parseLong(field(line, "id"));
                assertTrue(id > previous, "oldest client first");
                previous = id;
            }
        }
    }

    @Test
    void setInfoIsShownAndCheckedAsRedis72DoesIt() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("CLIENT", "SETINFO", "LIB-NAME", "jedis"));
            assertEquals("OK", c.call("CLIENT", "SETINFO", "lib-ver", "5.1.0"));
            String info = c.callText("CLIENT", "INFO");
            assertEquals("jedis", field(info, "lib-name"));
            assertEquals("5.1.0", field(info, "lib-ver"));
            assertEquals("ERR Unrecognized option 'lib-x'", error(c.callRaw("CLIENT", "SETINFO", "lib-x", "1")));
            assertTrue(error(c.callRaw("CLIENT", "SETINFO", "lib-name", "a b")).contains("cannot contain spaces"));
            assertTrue(error(c.callRaw("CLIENT", "SETINFO", "lib-name")).startsWith("ERR wrong number of arguments"));
        }
    }

    @Test
    void replyOffAndSkipDropRepliesAndOnBringsThemBack() {
        try (RedisTestConnection c = proxy.connect()) {
            c.sendRaw(RedisTestConnection.command("CLIENT", "REPLY", "OFF"));
            c.sendRaw(RedisTestConnection.command("SET", "reply:a", "1"));
            c.sendRaw(RedisTestConnection.command("GET", "reply:a"));
            c.sendRaw(RedisTestConnection.command("PING"));
            c.sendRaw(RedisTestConnection.command("CLIENT", "REPLY", "ON"));
            assertEquals("OK", c.readReply(), "the first reply is ON's");
            assertEquals("1", c.callText("GET", "reply:a"));
            c.sendRaw(RedisTestConnection.command("CLIENT", "REPLY", "SKIP"));
            c.sendRaw(RedisTestConnection.command("SET", "reply:a", "2"));
            assertEquals("2", c.callText("GET", "reply:a"), "SKIP dropped itself and the SET's reply only");
        }
    }

    @Test
    void pauseWriteHoldsWritesOnlyUntilUnpause() throws Exception {
        try (RedisTestConnection admin = proxy.connect(); RedisTestConnection writer = proxy.connect();
             RedisTestConnection reader = proxy.connect()) {
            admin.call("SET", "pause:k", "before");
            assertEquals("OK", admin.call("CLIENT", "PAUSE", "20000", "WRITE"));
            writer.sendRaw(RedisTestConnection.command("SET", "pause:k", "after"));
            writer.sendRaw(RedisTestConnection.command("GET", "pause:k"));
            Thread.sleep(200);
            assertEquals("before", reader.callText("GET", "pause:k"), "reads run; the write waits");
            assertEquals("OK", admin.call("CLIENT", "UNPAUSE"));
            assertEquals("OK", writer.readReply());
            assertEquals("after", text(writer.readReply()), "the held requests ran in order");
        }
    }

    @Test
    void pauseAllHoldsEveryCommandUntilItsTimeout() {
        try (RedisTestConnection admin = proxy.connect(); RedisTestConnection other = proxy.connect()) {
            long start = System.nanoTime();
            assertEquals("OK", admin.call("CLIENT", "PAUSE", "400", "ALL"));
            assertEquals("PONG", other.call("PING"));
            assertTrue(System.nanoTime() - start >= 300_000_000L, "PING waited for the pause to end");
            assertTrue(error(admin.callRaw("CLIENT", "PAUSE", "x")).contains("timeout is not an integer"));
        }
    }

    @Test
    void unblockEndsABlockedCommandWithItsTimeoutReplyOrAnError() throws Exception {
        try (RedisTestConnection admin = proxy.connect(); RedisTestConnection blocked = proxy.connect()) {
            long id = (Long) blocked.call("CLIENT", "ID");
            assertEquals(0L, admin.call("CLIENT", "UNBLOCK", Long.toString(id)), "not blocked");
            blocked.sendRaw(RedisTestConnection.command("BLPOP", "unblock:nothing", "0"));
            assertTrue(PinnedTesting.eventually(() -> field(admin.callText("CLIENT", "LIST", "ID", Long.toString(id)),
                    "flags").contains("b"), 5000));
            assertEquals(1L, admin.call("CLIENT", "UNBLOCK", Long.toString(id)));
            assertNull(blocked.readReply(), "BLPOP's timeout reply");
            blocked.sendRaw(RedisTestConnection.command("BLMOVE", "unblock:a", "unblock:a", "LEFT", "LEFT", "0"));
            assertTrue(PinnedTesting.eventually(() -> field(admin.callText("CLIENT", "LIST", "ID", Long.toString(id)),
                    "flags").contains("b"), 5000));
            assertEquals(1L, admin.call("CLIENT", "UNBLOCK", Long.toString(id), "ERROR"));
            assertEquals("UNBLOCKED client unblocked via CLIENT UNBLOCK", error(blocked.readReply()));
            assertEquals("PONG", blocked.call("PING"), "the client goes on");
        }
    }

    @Test
    void flagsShowNoEvictNoTouchAndReadonlyUntilReset() {
        try (RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("CLIENT", "NO-EVICT", "on"));
            assertEquals("OK", c.call("CLIENT", "NO-TOUCH", "on"));
            assertEquals("OK", c.call("READONLY"));
            assertEquals("reT", field(c.callText("CLIENT", "INFO"), "flags"));
            assertEquals("OK", c.call("READWRITE"));
            assertEquals("eT", field(c.callText("CLIENT", "INFO"), "flags"));
            assertEquals("RESET", c.call("RESET"));
            assertEquals("N", field(c.callText("CLIENT", "INFO"), "flags"));
            assertTrue(error(c.callRaw("CLIENT", "NO-TOUCH", "maybe")).startsWith("ERR syntax error"));
        }
    }

    @Test
    void killByUserAndMaxAgeAsEveryClientIsTheDefaultUser() throws Exception {
        try (RedisTestConnection a = proxy.connect(); RedisTestConnection b = proxy.connect()) {
            assertEquals("PONG", b.call("PING"));
            assertEquals(0L, a.call("CLIENT", "KILL", "USER", "nobody"));
            assertEquals(0L, a.call("CLIENT", "KILL", "MAXAGE", "1000"), "no client is that old");
            assertEquals(1L, a.call("CLIENT", "KILL", "USER", "default"), "b, not a itself (SKIPME yes)");
            assertTrue(PinnedTesting.eventually(b::isClosedByPeer, 5000));
        }
    }
}
