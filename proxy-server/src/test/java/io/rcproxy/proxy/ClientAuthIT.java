package io.rcproxy.proxy;

import static io.rcproxy.proxy.PinnedTesting.error;
import static io.rcproxy.proxy.PinnedTesting.text;
import static io.rcproxy.proxy.PinnedTesting.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import io.rcproxy.proxy.auth.AuthSource;
import io.rcproxy.proxy.config.ProxyConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Client authentication and ACL users of the proxy itself (proxy.auth), in front of a real cluster. */
@ExtendWith(RedisClusterExtension.class)
class ClientAuthIT {

    private static final String NOAUTH = "NOAUTH Authentication required.";
    private static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

    private static RedisClusterProcess cluster;

    @BeforeAll
    static void cluster(RedisClusterProcess shared) {
        cluster = shared;
    }

    @Test
    void aPasswordMustBeGivenBeforeAnythingButAuthHelloQuitReset() {
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.auth.password", "s3cret",
                "proxy.auth.failure-delay", "10ms"));
             RedisTestConnection c = proxy.connect()) {
            assertEquals(NOAUTH, error(c.callRaw("GET", "auth:k")));
            assertEquals(NOAUTH, error(c.callRaw("PING")));
            assertEquals(NOAUTH, error(c.callRaw("ACL", "WHOAMI")));
            assertEquals("RESET", c.call("RESET"));
            assertEquals(WRONGPASS, error(c.callRaw("AUTH", "wrong")));
            assertEquals(WRONGPASS, error(c.callRaw("AUTH", "default", "wrong")));
            assertEquals(NOAUTH, error(c.callRaw("GET", "auth:k")), "still not authenticated");
            assertEquals("OK", c.call("AUTH", "s3cret"));
            assertEquals("OK", c.call("SET", "auth:k", "v"));
            assertEquals("v", c.callText("GET", "auth:k"));
            assertEquals("default", c.callText("ACL", "WHOAMI"));
            assertTrue(c.callText("CLIENT", "INFO").contains("user=default"));
            assertEquals("RESET", c.call("RESET"));
            assertEquals(NOAUTH, error(c.callRaw("GET", "auth:k")), "RESET ends the authentication, as in Redis");
            assertEquals("OK", c.call("AUTH", "s3cret"));

            List<AdminHttp.Sample> metrics = AdminHttp.parse(AdminHttp.get(proxy.metricsPort(), "/metrics").body());
            assertEquals(2.0, AdminHttp.value(metrics, "redis_proxy_auth_failures_total"));
        }
    }

    @Test
    void helloAuthGoesThroughTheSameCheck() {
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of(
                "proxy.auth.users", List.of("user alice on >alice-pw ~* +@all"), "proxy.auth.failure-delay", "0ms"));
             RedisTestConnection c = proxy.connect()) {
            assertEquals(WRONGPASS, error(c.callRaw("HELLO", "2", "AUTH", "alice", "nope", "SETNAME", "x")));
            assertEquals(NOAUTH, error(c.callRaw("GET", "auth:k")));
            List<String> hello = texts(c.call("HELLO", "2", "AUTH", "alice", "alice-pw"));
            assertEquals("proto", hello.get(4));
            assertEquals("alice", c.callText("ACL", "WHOAMI"));
            assertEquals("OK", c.call("SET", "auth:hello", "1"));
            // The default user is off when only named users are configured: AUTH <password> cannot work.
            assertEquals(WRONGPASS, error(c.callRaw("AUTH", "alice-pw")));
            assertEquals("alice", c.callText("ACL", "WHOAMI"), "a failed AUTH keeps the user");
        }
    }

    @Test
    void eachUserRunsOnlyItsCommandsOnItsKeys() {
        String hash = sha256("hashed-pw");
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.auth.users", List.of(
                "user app on >app-pw ~app:* +@read +@write +@transaction -@dangerous +info",
                "user reader on #" + hash + " %R~app:* %RW~tmp:* &news:* +@read +set",
                "user ops on >ops-pw allkeys allcommands"), "proxy.auth.failure-delay", "0ms"));
             RedisTestConnection app = proxy.connect();
             RedisTestConnection reader = proxy.connect()) {
            assertEquals("OK", app.call("AUTH", "app", "app-pw"));
            assertEquals("OK", app.call("SET", "app:1", "one"));
            assertEquals("one", app.callText("GET", "app:1"));
            assertEquals("NOPERM this user has no permissions to access one of the keys used as arguments",
                    error(app.callRaw("GET", "other:1")));
            assertEquals("NOPERM this user has no permissions to access one of the keys used as arguments",
                    error(app.callRaw("MGET", "app:1", "other:1")));
            assertEquals("NOPERM this user has no permissions to run the 'flushall' command",
                    error(app.callRaw("FLUSHALL")));
            assertEquals("NOPERM this user has no permissions to run the 'client|list' command",
                    error(app.callRaw("CLIENT", "LIST")));
            assertTrue(app.callText("INFO", "server").contains("redis_version"));
            // Inside MULTI a refused command aborts EXEC, as in Redis.
            assertEquals("OK", app.call("MULTI"));
            assertTrue(error(app.callRaw("SET", "other:{x}", "1")).startsWith("NOPERM"));
            assertTrue(error(app.callRaw("EXEC")).startsWith("EXECABORT"));

            assertEquals("OK", reader.call("AUTH", "reader", "hashed-pw"));
            assertEquals("one", reader.callText("GET", "app:1"));
            assertEquals("NOPERM this user has no permissions to access one of the keys used as arguments",
                    error(reader.callRaw("SET", "app:1", "two")), "read-only pattern");
            assertEquals("OK", reader.call("SET", "tmp:1", "two"));
            assertEquals("NOPERM this user has no permissions to run the 'del' command",
                    error(reader.callRaw("DEL", "tmp:1")));

            try (RedisTestConnection ops = proxy.connect()) {
                assertEquals("OK", ops.call("AUTH", "ops", "ops-pw"));
                assertEquals(List.of("app", "default", "ops", "reader"), texts(ops.call("ACL", "USERS")));
                List<String> list = texts(ops.call("ACL", "LIST"));
                assertTrue(list.contains("user app on #" + sha256("app-pw")
                        + " ~app:* resetchannels -@all +@read +@write +@transaction -@dangerous +info"), list.toString());
                assertTrue(list.contains("user reader on #" + hash + " %R~app:* ~tmp:* &news:* -@all +@read +set"),
                        list.toString());
                List<?> getUser = assertInstanceOf(List.class, ops.call("ACL", "GETUSER", "reader"));
                assertEquals(List.of("on"), texts(getUser.get(1)));
                assertEquals(List.of(hash), texts(getUser.get(3)));
                assertEquals("-@all +@read +set", text(getUser.get(5)));
                assertEquals(null, ops.call("ACL", "GETUSER", "nobody"));
                assertEquals("OK", ops.call("ACL", "DRYRUN", "reader", "GET", "app:1"));
                assertEquals("This user has no permissions to access the 'app:1' key",
                        ops.callText("ACL", "DRYRUN", "reader", "SET", "app:1", "x"));
                assertEquals("This user has no permissions to run the 'del' command",
                        ops.callText("ACL", "DRYRUN", "reader", "DEL", "x"));
                assertEquals("ERR User 'nobody' not found", error(ops.callRaw("ACL", "DRYRUN", "nobody", "GET", "x")));
                assertTrue(texts(ops.call("ACL", "CAT")).contains("sortedset"));
                assertTrue(texts(ops.call("ACL", "CAT", "string")).contains("get"));
                assertTrue(ops.call("FLUSHALL") != null);
            }
        }
    }

    @Test
    void channelsArePublishedAndSubscribedOnlyWhereAllowed() {
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.auth.users", List.of(
                "user pub on >pub-pw ~* &news:* +@all"), "proxy.auth.failure-delay", "0ms"));
             RedisTestConnection c = proxy.connect()) {
            assertEquals("OK", c.call("AUTH", "pub", "pub-pw"));
            assertEquals(0L, c.call("PUBLISH", "news:1", "hello"));
            String denied = "NOPERM this user has no permissions to access one of the channels used as arguments";
            assertEquals(denied, error(c.callRaw("PUBLISH", "sports", "hello")));
            assertEquals(denied, error(c.callRaw("SUBSCRIBE", "news:1", "sports")));
            assertEquals(denied, error(c.callRaw("PSUBSCRIBE", "news:1*")), "a pattern must equal an allowed one");
            assertEquals("This user has no permissions to access the 'sports' channel",
                    c.callText("ACL", "DRYRUN", "pub", "PUBLISH", "sports", "x"));
            List<?> getUser = (List<?>) c.call("ACL", "GETUSER", "pub");
            assertEquals("&news:*", text(getUser.get(9)));
            assertEquals(List.of("subscribe", "news:1", "1"), texts(c.call("SUBSCRIBE", "news:1")));
        }
    }

    @Test
    void aConnectionIsClosedAfterTooManyFailures() {
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.auth.password", "right",
                "proxy.auth.max-failures-per-connection", 3, "proxy.auth.failure-delay", "50ms"));
             RedisTestConnection c = proxy.connect()) {
            long started = System.nanoTime();
            c.sendRaw(RedisTestConnection.command("AUTH", "a"));
            c.sendRaw(RedisTestConnection.command("AUTH", "b"));
            c.sendRaw(RedisTestConnection.command("AUTH", "c"));
            c.sendRaw(RedisTestConnection.command("AUTH", "right"));
            assertEquals(WRONGPASS, error(c.readReply()));
            assertEquals(WRONGPASS, error(c.readReply()));
            assertEquals(WRONGPASS, error(c.readReply()));
            assertTrue(System.nanoTime() - started >= 50_000_000L, "the failures' replies were delayed");
            assertTrue(c.isClosedByPeer(), "closed after the third failure; the fourth AUTH never ran");
        }
    }

    @Test
    void usersRemovedFromTheUsersFileLoseAccess(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "# the proxy's users\nuser ops on >ops-pw allkeys allcommands\n"
                + "user bob on >bob-pw ~* +@all\n");
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.auth.users-file", file.toString(),
                "proxy.auth.reload-interval", "100ms", "proxy.auth.failure-delay", "0ms"));
             RedisTestConnection bob = proxy.connect();
             RedisTestConnection ops = proxy.connect()) {
            assertEquals("OK", bob.call("AUTH", "bob", "bob-pw"));
            assertEquals("OK", bob.call("SET", "reload:1", "x"));
            assertEquals("OK", ops.call("AUTH", "ops", "ops-pw"));

            // A file that does not parse keeps the users loaded before.
            Files.writeString(file, "user ops on >ops-pw allkeys allcommands\nuser bob on +nosuchcommand\n");
            assertTrue(error(ops.callRaw("ACL", "LOAD")).contains("nosuchcommand"));
            assertEquals("x", bob.callText("GET", "reload:1"));

            // The watcher sees bob gone: his connection is closed, and he cannot log in again.
            Files.writeString(file, "user ops on >ops-pw allkeys allcommands\n");
            assertTrue(bob.isClosedByPeer(), "bob's connection is closed once the file drops him");
            try (RedisTestConnection again = proxy.connect()) {
                assertEquals(WRONGPASS, error(again.callRaw("AUTH", "bob", "bob-pw")));
            }
            assertEquals(List.of("default", "ops"), texts(ops.call("ACL", "USERS")));

            // ACL LOAD reloads at once; a user whose rules change keeps the connection with the new rules.
            Files.writeString(file, "user ops on >ops-pw allkeys -@all +acl +get\n");
            assertEquals("OK", ops.call("ACL", "LOAD"));
            assertEquals("NOPERM this user has no permissions to run the 'set' command",
                    error(ops.callRaw("SET", "reload:1", "y")));
            assertEquals("x", ops.callText("GET", "reload:1"));
        }
    }

    @Test
    void usersRemovedFromTheConfigFileLoseAccess(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("proxy.conf");
        Files.writeString(conf, "proxy.auth.users = [\"user ops on >ops-pw allkeys allcommands\", "
                + "\"user bob on >bob-pw ~* +@all\"]\nproxy.auth.failure-delay = 0ms\n");
        Map<String, Object> flags = Map.of("proxy.listen.port", RunningProxy.freePort(),
                "proxy.cluster.seeds", String.join(",", cluster.seeds()), "proxy.io.event-loops", 2,
                "proxy.metrics.enabled", false, "proxy.auth.reload-interval", "100ms");
        ProxyServer server = ProxyServer.start(ProxyConfigLoader.load(flags, conf.toFile(), Map.of()),
                new AuthSource(() -> ProxyConfigLoader.load(flags, conf.toFile(), Map.of()).security().auth(),
                        conf.toFile()));
        try (RedisTestConnection bob = RedisTestConnection.open("127.0.0.1", server.localAddress().getPort());
             RedisTestConnection ops = RedisTestConnection.open("127.0.0.1", server.localAddress().getPort())) {
            assertEquals("OK", bob.call("AUTH", "bob", "bob-pw"));
            assertEquals("OK", ops.call("AUTH", "ops", "ops-pw"));
            Files.writeString(conf, "proxy.auth.users = [\"user ops on >ops-pw allkeys allcommands\"]\n"
                    + "proxy.auth.failure-delay = 0ms\n");
            assertTrue(bob.isClosedByPeer(), "bob's connection is closed once the config file drops him");
            assertEquals(List.of("default", "ops"), texts(ops.call("ACL", "USERS")));
            Files.writeString(conf, "proxy.auth.users = not-a-list\n");
            assertTrue(error(ops.callRaw("ACL", "LOAD")).contains("proxy.auth.users"), "a bad file keeps the users");
            assertEquals("PONG", ops.call("PING"));
        } finally {
            server.close();
        }
    }

    @Test
    void withoutAuthConfiguredEveryoneIsTheOpenDefaultUser() {
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of());
             RedisTestConnection c = proxy.connect()) {
            assertEquals("ERR wrong number of arguments for 'acl|getuser' command", error(c.callRaw("ACL", "GETUSER")));
            assertEquals("ERR wrong number of arguments for 'acl|dryrun' command",
                    error(c.callRaw("ACL", "DRYRUN", "default")));
            assertEquals("ERR wrong number of arguments for 'auth' command", error(c.callRaw("AUTH")));
            assertEquals("default", c.callText("ACL", "WHOAMI"));
            assertEquals(List.of("user default on nopass ~* &* +@all"), texts(c.call("ACL", "LIST")));
            assertEquals("OK", c.call("AUTH", "default", "anything"));
        }
    }

    private static String sha256(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
