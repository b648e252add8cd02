package io.rcproxy.proxy.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The acl column of commands.tsv: Redis's categories per command and subcommand. */
class AclCategoryTest {

    private static final CommandTable TABLE = CommandTable.builtIn();

    @Test
    void theBuiltInTableCarriesRedisCategories() {
        CommandSpec get = TABLE.lookup("get");
        assertTrue(get.in(AclCategory.READ) && get.in(AclCategory.STRING) && get.in(AclCategory.FAST));
        assertFalse(get.in(AclCategory.WRITE));
        assertTrue(TABLE.lookup("flushall").in(AclCategory.DANGEROUS));
        assertTrue(TABLE.lookup("keys").in(AclCategory.DANGEROUS), "Redis counts KEYS as dangerous");
        assertTrue(TABLE.lookup("config|set").in(AclCategory.ADMIN), "subcommands have their own");
        assertTrue(TABLE.lookup("publish").in(AclCategory.PUBSUB));
        for (CommandSpec spec : TABLE.specs()) {
            assertTrue(spec.categories() != 0, spec.name() + " has no category"); // every command has @slow or @fast
        }
    }

    @Test
    void rowsWithoutTheColumnHaveNoCategoriesAndUnknownOnesAreRefused() {
        CommandTable table = CommandTable.parse(List.of("get\t2\treadonly\t1\t1\t1\trange\tslot\t-"));
        assertEquals(0, table.lookup("get").categories());
        assertThrows(IllegalArgumentException.class,
                () -> CommandTable.parse(List.of("get\t2\treadonly\t1\t1\t1\trange\tslot\t-\tread,shiny")));
        assertEquals(AclCategory.SORTEDSET, AclCategory.fromRedisName("SortedSet"));
        assertEquals("hyperloglog", AclCategory.HYPERLOGLOG.redisName());
    }
}
