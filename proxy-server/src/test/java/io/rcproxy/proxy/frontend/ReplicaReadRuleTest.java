package io.rcproxy.proxy.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which of a client's requests may go to a replica; the clock is passed in, never read. */
class ReplicaReadRuleTest {

    private static final CommandTable COMMANDS = CommandTable.builtIn();
    private static final long SECOND = 1_000_000_000L;

    private final AtomicInteger pinned = new AtomicInteger();

    private static CommandSpec spec(String name) {
        return COMMANDS.lookup(name);
    }

    @Test
    void onlyReadOnlyCommandsRoutedBySlotMayGo() {
        ReplicaReadRule rule = new ReplicaReadRule(SECOND, () -> { });
        assertTrue(rule.onRequest(spec("get"), false, 0));
        assertTrue(rule.onRequest(spec("hgetall"), false, 0));
        assertTrue(rule.onRequest(spec("mget"), false, 0));
        assertFalse(rule.onRequest(spec("evalsha_ro"), false, 0), "scripts stay where their bodies are");
        assertFalse(rule.onRequest(spec("keys"), false, 0), "not routed by one slot");
        assertFalse(rule.onRequest(null, false, 0));
    }

    @Test
    void aWritePinsTheClientsReadsToTheMastersForTheWindow() {
        ReplicaReadRule rule = new ReplicaReadRule(SECOND, pinned::incrementAndGet);
        assertFalse(rule.onRequest(spec("set"), true, 10 * SECOND));
        assertFalse(rule.onRequest(spec("get"), false, 10 * SECOND));
        assertFalse(rule.onRequest(spec("get"), false, 11 * SECOND - 1));
        assertTrue(rule.onRequest(spec("get"), false, 11 * SECOND));
        assertFalse(rule.onRequest(spec("del"), true, 12 * SECOND));
        assertFalse(rule.onRequest(spec("get"), false, 12 * SECOND + 5));
        assertFalse(rule.onRequest(spec("keys"), false, 12 * SECOND + 6), "never a replica read: not counted");
        assertEquals(3, pinned.get(), "each read the window kept on the masters is counted");
    }

    @Test
    void aZeroWindowNeverPins() {
        ReplicaReadRule rule = new ReplicaReadRule(0, pinned::incrementAndGet);
        assertFalse(rule.onRequest(spec("set"), true, 5));
        assertTrue(rule.onRequest(spec("get"), false, 5));
        assertEquals(0, pinned.get());
    }
}
