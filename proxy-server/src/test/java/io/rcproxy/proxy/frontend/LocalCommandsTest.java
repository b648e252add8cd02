package io.rcproxy.proxy.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.command.Routing;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Local commands get their handler from the table's rows, once, and a row without one stops start-up. */
class LocalCommandsTest {

    @Test
    void everyLocalRowOfTheBuiltInTableHasAHandlerAndNoOtherRowDoes() {
        CommandTable table = CommandTable.builtIn();
        LocalHandler[] handlers = LocalCommands.resolve(table);
        assertEquals(table.specs().size(), handlers.length);
        for (CommandSpec spec : table.specs()) {
            if (spec.routing() == Routing.LOCAL) {
                assertNotNull(handlers[spec.id()], spec.name());
            } else {
                assertNull(handlers[spec.id()], spec.name());
            }
        }
    }

    @Test
    void aLocalRowWithoutAHandlerFailsNamingTheRow() {
        List<String> rows = new ArrayList<>(localRows());
        rows.add("shout\t2\tfast\t0\t0\t0\trange\tlocal\t-");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalCommands.resolve(CommandTable.parse(rows)));
        assertTrue(e.getMessage().contains("'shout'"), e.getMessage());
    }

    @Test
    void aHandlerWhoseRowIsNoLongerLocalFails() {
        List<String> rows = new ArrayList<>(localRows());
        rows.set(0, "ping\t-1\tfast\t0\t0\t0\trange\tany_master\t-");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalCommands.resolve(CommandTable.parse(rows)));
        assertTrue(e.getMessage().contains("ping"), e.getMessage());
    }

    /** The built-in table's local rows (and the CLIENT, ACL and CLUSTER containers), as commands.tsv lines. */
    private static List<String> localRows() {
        List<String> rows = new ArrayList<>();
        rows.add("ping\t-1\tfast\t0\t0\t0\trange\tlocal\t-");
        rows.add("client\t-2\t-\t0\t0\t0\trange\tunsupported\t-");
        rows.add("acl\t-2\t-\t0\t0\t0\trange\tunsupported\t-");
        rows.add("cluster\t-2\t-\t0\t0\t0\trange\tunsupported\t-");
        for (CommandSpec spec : CommandTable.builtIn().specs()) {
            if (spec.routing() == Routing.LOCAL && !spec.name().equals("ping")) {
                rows.add(spec.name() + "\t" + spec.arity() + "\t-\t0\t0\t0\trange\tlocal\t-");
            }
        }
        return rows;
    }
}
