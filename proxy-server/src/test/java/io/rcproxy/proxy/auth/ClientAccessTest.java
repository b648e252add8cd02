package io.rcproxy.proxy.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.command.Requests;
import io.rcproxy.proxy.config.AuthConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientAccessTest {

    private static final CommandTable TABLE = CommandTable.builtIn();

    private static UserDirectory directory(List<String> users, String usersFile) {
        return new UserDirectory(new AuthConfig("", "", users, usersFile, Duration.ZERO, Duration.ZERO, 3), TABLE,
                AuthMetrics.unregistered());
    }

    @Test
    void withoutAuthEveryCommandRunsUnchecked() {
        ClientAccess access = new ClientAccess(new UserDirectory(AuthConfig.OPEN, TABLE, AuthMetrics.unregistered()));
        try (Requests r = new Requests()) {
            assertNull(access.denial(TABLE.lookup("flushall"), r.of("FLUSHALL")));
            assertEquals("default", access.username());
        }
    }

    @Test
    void beforeAuthOnlyNoAuthCommandsRunAndAfterItTheUsersRules() {
        ClientAccess access = new ClientAccess(directory(List.of("user app on >pw ~app:* +get"), ""));
        try (Requests r = new Requests()) {
            assertEquals(AuthErrors.NOAUTH, access.denial(TABLE.lookup("get"), r.of("GET", "app:1")));
            assertEquals("ERR wrong number of arguments for 'get' command",
                    access.denial(TABLE.lookup("get"), r.of("GET")), "arity first, as Redis");
            assertNull(access.denial(TABLE.lookup("auth"), r.of("AUTH", "x")));
            assertNull(access.denial(TABLE.lookup("hello"), r.of("HELLO")));
            assertEquals(AuthErrors.WRONGPASS, access.authenticate("app", "nope"));
            assertEquals(AuthErrors.WRONGPASS, access.authenticate(null, "pw"), "the default user is off");
            assertFalse(access.failedTooOften());
            assertNull(access.authenticate("app", "pw"));
            assertNull(access.denial(TABLE.lookup("get"), r.of("GET", "app:1")));
            assertEquals(AuthErrors.NOPERM_KEYS, access.denial(TABLE.lookup("get"), r.of("GET", "x")));
            assertEquals("NOPERM this user has no permissions to run the 'set' command",
                    access.denial(TABLE.lookup("set"), r.of("SET", "app:1", "v")));
            assertNull(access.denial(TABLE.lookup("quit"), r.of("QUIT")), "no_auth commands always run");
            assertEquals(2, access.failures());
        }
    }

    @Test
    void aReloadMovesTheConnectionToTheNewRulesOrEndsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "user a on >pw ~* +get\nuser b on >pw ~* +get\n");
        UserDirectory users = directory(List.of(), file.toString());
        ClientAccess a = new ClientAccess(users);
        ClientAccess b = new ClientAccess(users);
        assertNull(a.authenticate("a", "pw"));
        assertNull(b.authenticate("b", "pw"));
        Files.writeString(file, "user a on >pw ~* +set\n");
        assertNull(users.reload());
        assertTrue(a.rebind(users.users(), false));
        assertFalse(b.rebind(users.users(), false), "b is gone");
        try (Requests r = new Requests()) {
            assertNull(a.denial(TABLE.lookup("set"), r.of("SET", "k", "v")));
            assertTrue(a.denial(TABLE.lookup("get"), r.of("GET", "k")).startsWith("NOPERM"));
            assertEquals(AuthErrors.NOAUTH, b.denial(TABLE.lookup("get"), r.of("GET", "k")));
        }
        Files.writeString(file, "user a on >pw ~* &news:* +set\n");
        assertNull(users.reload());
        assertTrue(a.rebind(users.users(), false), "channel rules changed, but a has no subscriptions");
        Files.writeString(file, "user a on >pw ~* &sports +set\n");
        assertNull(users.reload());
        assertFalse(a.rebind(users.users(), true), "a subscriber whose channel rules changed is closed");
                Files.writeString(file, "user a on +nosuch\n");
        assertTrue(users.reload().contains("nosuch"));
        assertEquals("a", users.users().get("a").name(), "the users loaded before stay");
    }

    @Test
    void aclSetUserAddsToTheUsersRulesAndDelUserRemovesThem() {
        UserDirectory directory = new UserDirectory(AuthConfig.OPEN, TABLE, AuthMetrics.unregistered());
        ClientAccess access = new ClientAccess(directory);
        try (Requests r = new Requests()) {
            assertNull(directory.setUser("bob", List.of("on", ">123", "+@scripting", "~x*")));
            assertEquals(AuthErrors.WRONGPASS, access.authenticate("bob", "nope"));
            assertNull(access.authenticate("bob", "123"));
            assertEquals("NOPERM this user has no permissions to run the 'set' command",
                    access.denial(TABLE.lookup("set"), r.of("SET", "x1", "v")));
            assertNull(directory.setUser("bob", List.of("+set")), "rules add to the ones bob has");
            access.rebind(directory.users(), false);
            assertNull(access.denial(TABLE.lookup("set"), r.of("SET", "x1", "v")));
            assertEquals(AuthErrors.NOPERM_KEYS, access.denial(TABLE.lookup("set"), r.of("SET", "y", "v")));
            assertNull(access.denial(TABLE.lookup("eval"), r.of("EVAL", "return 1", "0")));
            assertTrue(directory.setUser("bob", List.of("+nosuchcommand")).startsWith("ERR Error in ACL SETUSER"));
            assertEquals(-1, directory.deleteUsers(List.of("default", "bob")), "the default user stays");
            assertEquals(1, directory.deleteUsers(List.of("bob", "nobody")));
            assertFalse(access.rebind(directory.users(), false), "a deleted user's connection ends");
            assertEquals(0, directory.deleteUsers(List.of("bob")));
        }
    }
}
