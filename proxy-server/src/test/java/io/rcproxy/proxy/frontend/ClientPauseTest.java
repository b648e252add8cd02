package io.rcproxy.proxy.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import org.junit.jupiter.api.Test;

/** Which commands a CLIENT PAUSE holds, and how pauses combine (as Redis 7.0 has it). */
class ClientPauseTest {

    private static final CommandTable TABLE = CommandTable.builtIn();
    private static final CommandSpec GET = TABLE.lookup("get");
    private static final CommandSpec SET = TABLE.lookup("set");
    private static final CommandSpec EVAL = TABLE.lookup("eval");
    private static final CommandSpec PUBLISH = TABLE.lookup("publish");
    private static final CommandSpec UNPAUSE = TABLE.lookup("client|unpause");

    private final ClientPause pause = new ClientPause();
    private final long inAMinute = System.currentTimeMillis() + 60_000;

    @Test
    void nothingIsHeldWithoutAPause() {
        assertEquals(0, pause.holds(SET));
    }

    @Test
    void writeHoldsWritesAndMayReplicateCommandsOnly() {
        pause.pause(inAMinute, true);
        assertTrue(pause.holds(SET) > 0);
        assertTrue(pause.holds(EVAL) > 0);
        assertTrue(pause.holds(PUBLISH) > 0);
        assertEquals(0, pause.holds(GET));
        assertEquals(0, pause.holds(UNPAUSE));
    }

    @Test
    void allHoldsEverythingUnpauseIncluded() {
        pause.pause(inAMinute, false);
        assertTrue(pause.holds(GET) > 0);
        assertTrue(pause.holds(UNPAUSE) > 0);
    }

    @Test
    void aShorterPauseDoesNotShortenOneInForceAndAllStaysAll() {
        pause.pause(inAMinute, false);
        pause.pause(System.currentTimeMillis() + 1, true);
        assertTrue(pause.holds(GET) > 1_000, "still the first pause, of every command");
    }

    @Test
    void unpauseEndsItAndAPauseInThePastHoldsNothing() {
        pause.pause(inAMinute, false);
        pause.unpause();
        assertEquals(0, pause.holds(SET));
        pause.pause(System.currentTimeMillis() - 1, false);
        assertEquals(0, pause.holds(SET));
    }
}
