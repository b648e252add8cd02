package io.rcproxy.proxy.pinned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.rcproxy.proxy.command.CommandTable;
import org.junit.jupiter.api.Test;

class PinnedCommandTest {

    private static final CommandTable COMMANDS = CommandTable.builtIn();

    @Test
    void everyNamedConstantIsACommandOfTheTableAndResolvesToItself() {
        for (PinnedCommand command : PinnedCommand.values()) {
            if (command != PinnedCommand.OTHER) {
                var spec = COMMANDS.lookup(command.name().toLowerCase(java.util.Locale.ROOT));
                assertNotNull(spec, command + " is not in the command table");
                assertEquals(command, PinnedCommand.of(spec));
            }
        }
    }

    @Test
    void anyOtherCommandIsOther() {
        assertEquals(PinnedCommand.OTHER, PinnedCommand.of(COMMANDS.lookup("get")));
    }

    @Test
    void onlyQuitAndResetEndTheSession() {
        assertTrue(PinnedCommand.QUIT.endsSession());
        assertTrue(PinnedCommand.RESET.endsSession());
        assertFalse(PinnedCommand.EXEC.endsSession());
    }
}
