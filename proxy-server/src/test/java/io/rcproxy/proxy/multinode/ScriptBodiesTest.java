package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.command.Requests;
import io.rcproxy.proxy.protocol.RedisRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which EVAL bodies the proxy loads on every master: each once, bounded, forgotten on SCRIPT FLUSH. */
class ScriptBodiesTest {

    private static final CommandTable COMMANDS = CommandTable.builtIn();

    private final Requests requests = new Requests();
    private final ScriptBodies bodies = new ScriptBodies(COMMANDS);

    @AfterEach
    void close() {
        requests.close();
    }

    private boolean firstSight(String... args) {
        RedisRequest request = requests.of(args);
        return bodies.firstSight(COMMANDS.lookup(request), request);
    }

    @Test
    void anEvalBodyIsNewOnlyTheFirstTime() {
        assertTrue(firstSight("eval", "return 1", "0"));
        assertFalse(firstSight("eval", "return 1", "1", "k"));
        assertFalse(firstSight("eval_ro", "return 1", "0"), "the same body");
        assertTrue(firstSight("eval_ro", "return 2", "0"));
    }

    @Test
    void commandsWithoutABodyAreNeverLoaded() {
        assertFalse(firstSight("evalsha", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"));
        assertFalse(firstSight("fcall", "f", "0"));
        assertFalse(firstSight("get", "k"));
    }

    @Test
    void scriptFlushForgetsEveryBody() {
        assertTrue(firstSight("eval", "return 3", "0"));
        bodies.seen(COMMANDS.lookup("script|flush"));
        assertTrue(firstSight("eval", "return 3", "0"));
        bodies.seen(COMMANDS.lookup("keys"));
        assertFalse(firstSight("eval", "return 3", "0"), "other commands forget nothing");
    }

    @Test
    void pastTheLimitNewBodiesAreNotLoaded() {
        for (int i = 0; i < ScriptBodies.MAX_BODIES; i++) {
            assertTrue(firstSight("eval", "return " + i, "0"));
        }
        assertFalse(firstSight("eval", "return 'one too many'", "0"));
    }

    @Test
    void aBodyTooLargeIsNotLoaded() {
        assertFalse(firstSight("eval", "x".repeat(ScriptBodies.MAX_BODY_BYTES + 1), "0"));
        assertTrue(firstSight("eval", "x".repeat(ScriptBodies.MAX_BODY_BYTES), "0"));
    }
}
