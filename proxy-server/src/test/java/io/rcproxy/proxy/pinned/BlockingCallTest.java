package io.rcproxy.proxy.pinned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.command.Requests;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two rules BlockingCall reads from the command table rather than from command names. */
class BlockingCallTest {

    private static final CommandTable COMMANDS = CommandTable.builtIn();

    @Test
    void onlyTheCommandsMovingOneElementTimeOutWithANullBulk() {
        for (CommandSpec spec : COMMANDS.specs()) {
            if (spec.isBlocking()) {
                boolean moves = List.of("blmove", "brpoplpush").contains(spec.name());
                assertEquals(moves, BlockingCall.movesOneElement(spec), spec.name());
            }
        }
    }

    @Test
    void streamReadsBlockOnlyWithTheirBlockOption() {
        try (Requests r = new Requests()) {
            CommandSpec xread = COMMANDS.lookup("xread");
            CommandSpec group = COMMANDS.lookup("xreadgroup");
            assertFalse(BlockingCall.blocks(xread, r.of("XREAD", "COUNT", "2", "STREAMS", "s", "0")));
            assertTrue(BlockingCall.blocks(xread, r.of("XREAD", "BLOCK", "0", "STREAMS", "s", "$")));
            assertFalse(BlockingCall.blocks(group, r.of("XREADGROUP", "GROUP", "g", "c", "STREAMS", "block", ">")),
                    "a stream named block is not the option");
            assertTrue(BlockingCall.blocks(group, r.of("XREADGROUP", "GROUP", "g", "c", "BLOCK", "10", "STREAMS", "s", ">")));
            assertTrue(BlockingCall.blocks(COMMANDS.lookup("blpop"), r.of("BLPOP", "k", "0")));
        }
    }
}
