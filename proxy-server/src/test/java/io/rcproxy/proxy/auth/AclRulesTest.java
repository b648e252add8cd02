package io.rcproxy.proxy.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.command.Requests;
import io.rcproxy.proxy.config.AuthConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclRulesTest {

    private static final CommandTable TABLE = CommandTable.builtIn();

    private static ProxyUser user(String line) {
        return AclRules.parseLine(line, TABLE);
    }

    private static boolean allows(ProxyUser u, String command) {
        return u.allows(TABLE.lookup(command));
    }

    @Test
    void categoriesAndCommandsApplyLeftToRight() {
        ProxyUser u = user("user app on >pw +@read -@dangerous +info");
        assertTrue(allows(u, "get"));
        assertTrue(allows(u, "info"));
        assertFalse(allows(u, "set"));
        assertFalse(allows(u, "keys"), "keys is @read and @dangerous");
        assertEquals("-@all +@read -@dangerous +info", u.commandRules());
        assertFalse(u.unrestricted());
    }

    @Test
    void aContainerRuleCoversItsSubcommandsAndASubcommandRuleOnlyItself() {
        ProxyUser u = user("user u on nopass +config -config|set +client|list");
        assertTrue(allows(u, "config|get"));
        assertFalse(allows(u, "config|set"));
        assertTrue(allows(u, "client|list"));
        assertFalse(allows(u, "client|kill"));
    }

    @Test
    void allcommandsAndNocommandsResetWhatCameBefore() {
        assertTrue(user("user u on nopass -get allcommands allkeys allchannels").unrestricted());
        ProxyUser none = user("user u on nopass +@all nocommands +ping");
        assertEquals("-@all +ping", none.commandRules());
        assertFalse(allows(none, "get"));
        assertTrue(allows(none, "ping"));
    }

    @Test
    void passwordsAreKeptAsSha256AndHashesAreAccepted() {
        String hash = PasswordHash.of("secret");
        ProxyUser u = user("user u on #" + hash.toUpperCase());
        assertTrue(u.acceptsPassword("secret".getBytes(StandardCharsets.UTF_8)));
        assertFalse(u.acceptsPassword("other".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(hash), user("user u on >secret").passwordHashes());
        assertTrue(user("user u on >a nopass").acceptsPassword(new byte[0]));
        assertFalse(user("user u on >a >b <a").acceptsPassword("a".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void keyPatternsGrantReadAndWriteSeparately() {
        ProxyUser u = user("user u on nopass +@all %R~ro:* %W~wo:* ~rw:*");
        try (Requests r = new Requests()) {
            assertTrue(u.keysAllowed(TABLE.lookup("get"), r.of("GET", "ro:1")));
            assertFalse(u.keysAllowed(TABLE.lookup("set"), r.of("SET", "ro:1", "x")));
            assertTrue(u.keysAllowed(TABLE.lookup("set"), r.of("SET", "wo:1", "x")));
            assertFalse(u.keysAllowed(TABLE.lookup("get"), r.of("GET", "wo:1")));
            assertTrue(u.keysAllowed(TABLE.lookup("mset"), r.of("MSET", "rw:1", "x", "wo:2", "y")));
            assertFalse(u.keysAllowed(TABLE.lookup("mget"), r.of("MGET", "rw:1", "other")));
            assertEquals("other", u.deniedKey(TABLE.lookup("mget"), r.of("MGET", "rw:1", "other")));
            assertTrue(u.keysAllowed(TABLE.lookup("ping"), r.of("PING")), "no keys");
        }
        assertEquals("%R~ro:* %W~wo:* ~rw:*", u.keyRules());
    }

    @Test
    void channelsAreNoneByDefaultAndPsubscribePatternsMatchLiterally() {
        ProxyUser none = user("user u on nopass +@all allkeys");
        assertFalse(none.unrestricted(), "Redis 7.0's default: resetchannels");
        ProxyUser news = user("user u on nopass +@all allkeys &news:* &alerts");
        try (Requests r = new Requests()) {
            assertEquals(1, none.deniedChannelIndex(TABLE.lookup("publish"), r.of("PUBLISH", "news:1", "m")));
            assertEquals(-1, news.deniedChannelIndex(TABLE.lookup("publish"), r.of("PUBLISH", "news:1", "m")));
            assertEquals(2, news.deniedChannelIndex(TABLE.lookup("subscribe"), r.of("SUBSCRIBE", "alerts", "x")));
            assertEquals(-1, news.deniedChannelIndex(TABLE.lookup("psubscribe"), r.of("PSUBSCRIBE", "news:*")));
            assertEquals(1, news.deniedChannelIndex(TABLE.lookup("psubscribe"), r.of("PSUBSCRIBE", "news:1*")));
            assertEquals(-1, none.deniedChannelIndex(TABLE.lookup("unsubscribe"), r.of("UNSUBSCRIBE", "x")));
            assertEquals(-1, none.deniedChannelIndex(TABLE.lookup("get"), r.of("GET", "x")));
        }
        assertEquals("&news:* &alerts", news.channelRules());
        assertEquals("resetchannels", none.channelRules());
        assertTrue(user("user u on nopass +@all allkeys &x allchannels").unrestricted());
    }

    @Test
    void badRulesAreRefusedNamingUserAndRuleButNeverAPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> user("user u on >hunter2 +nosuch"));
        assertEquals("user 'u', rule '+nosuch': Unknown command", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> user("user u +@nosuch")).getMessage()
                .contains("Unknown command category 'nosuch'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> user("user u #abc")).getMessage()
                .contains("64 characters"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> user("user u (+get ~x)")).getMessage()
                .contains("selectors"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> user("user u <hunter2")).getMessage()
                .contains("'<***'"));
    }

    @Test
    void theDefaultUserIsOpenUnlessSomethingIsConfigured() {
        Users open = Users.open(TABLE);
        assertTrue(open.initial().unrestricted());
        AuthConfig named = new AuthConfig("", "", List.of("user alice on >pw +@all ~*"), "", Duration.ZERO,
                Duration.ZERO, 10);
        Users closed = Users.build(named, null, named.users(), TABLE);
        assertNull(closed.initial(), "the default user is off: clients must AUTH");
        Users password = Users.build(AuthConfig.OPEN, "pw", List.of(), TABLE);
        assertNull(password.initial());
        assertTrue(password.defaultUser().acceptsPassword("pw".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class,
                () -> Users.build(named, null, List.of("user a on", "user a off"), TABLE));
    }
}
