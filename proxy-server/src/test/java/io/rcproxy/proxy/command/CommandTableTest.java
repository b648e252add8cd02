package io.rcproxy.proxy.command;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandTableTest {

    private final CommandTable table = CommandTable.builtIn();
    private final Requests requests = new Requests();

    @AfterEach
    void releaseRequests() {
        requests.close();
    }

    @Test
    void lookupIgnoresCase() {
        CommandSpec get = table.lookup(requests.of("get", "k"));
        assertNotNull(get);
        assertEquals("get", get.name());
        assertSame(get, table.lookup(requests.of("GET", "k")));
        assertSame(get, table.lookup(requests.of("GeT", "k")));
        assertSame(get, table.lookup("GET"));
    }

    @Test
    void unknownCommandIsNull() {
        assertNull(table.lookup(requests.of("gett", "k")));
        assertNull(table.lookup(requests.of("ge")));
        assertNull(table.lookup(requests.of("")));
        assertNull(table.lookup(requests.of("x".repeat(100_000))));
        assertNull(table.lookup("nosuchcommand"));
    }

    @Test
    void containerCommandsResolveTheirSubcommand() {
        CommandSpec encoding = table.lookup(requests.of("OBJECT", "Encoding", "k"));
        assertEquals("object|encoding", encoding.name());
        assertEquals(2, encoding.firstKey());
        assertEquals(Routing.SLOT, encoding.routing());

        assertEquals("memory|usage", table.lookup(requests.of("memory", "usage", "k")).name());
        assertEquals("xinfo|stream", table.lookup(requests.of("XINFO", "STREAM", "s")).name());
        assertEquals(Routing.LOCAL, table.lookup(requests.of("client", "setname", "me")).routing());
        assertEquals(Routing.LOCAL, table.lookup(requests.of("client", "kill", "x")).routing());
        assertEquals(Routing.LOCAL, table.lookup(requests.of("client", "pause", "10")).routing());
        assertEquals(Routing.ALL_MASTERS, table.lookup(requests.of("config", "get", "*")).routing());
        assertEquals(Routing.ALL_NODES, table.lookup(requests.of("config", "set", "a", "b")).routing());
        assertEquals(Routing.LOCAL, table.lookup(requests.of("cluster", "keyslot", "k")).routing());
        assertEquals(Routing.UNSUPPORTED, table.lookup(requests.of("cluster", "addslots", "1")).routing());
        assertEquals(Routing.ANY_MASTER, table.lookup(requests.of("command", "docs", "get")).routing());
        assertEquals("script|load", table.lookup(requests.of("SCRIPT", "LOAD", "return 1")).name());
        assertEquals("function|load", table.lookup(requests.of("function", "load", "code")).name());
    }

    @Test
    void unknownSubcommandGivesTheContainer() {
        CommandSpec spec = table.lookup(requests.of("object", "nosuch", "k"));
        assertEquals("object", spec.name());
        assertTrue(spec.container());
        assertFalse(spec.acceptsArgCount(1), "OBJECT alone is a wrong number of arguments");
    }

    @Test
    void commandWithoutSubcommandIsTheContainerItself() {
        CommandSpec command = table.lookup(requests.of("COMMAND"));
        assertEquals("command", command.name());
        assertTrue(command.acceptsArgCount(1));
        assertEquals(Routing.ANY_MASTER, command.routing());
    }

    @Test
    void localCommandsAreThoseTheProxyAnswers() {
        for (String name : List.of("ping", "echo", "quit", "select", "hello", "client|setname", "client|getname", "client|id")) {
            assertEquals(Routing.LOCAL, table.lookup(name).routing(), name);
        }
    }

    @Test
    void everyRoutingInTheDataIsImplemented() {
        for (CommandSpec spec : table.specs()) {
            assertEquals(spec.plannedRouting(), spec.routing(), spec.name());
        }
    }

    @Test
    void statefulCommandsArePinnedBlockingOrPubSub() {
        for (String name : List.of("multi", "exec", "discard", "watch", "unwatch", "wait")) {
            assertEquals(Routing.PINNED, table.lookup(name).routing(), name);
        }
        for (String name : List.of("blpop", "brpop", "blmove", "brpoplpush", "blmpop", "bzpopmin", "bzpopmax",
                "bzmpop", "xread", "xreadgroup")) {
            assertEquals(Routing.BLOCKING, table.lookup(name).routing(), name);
        }
        for (String name : List.of("subscribe", "psubscribe", "unsubscribe", "punsubscribe", "ssubscribe",
                "sunsubscribe")) {
            assertEquals(Routing.PUBSUB, table.lookup(name).routing(), name);
        }
        assertEquals(Routing.MONITOR, table.lookup("monitor").routing());
        for (String name : List.of("reset", "auth", "client|list", "client|info", "client|kill", "client|no-evict")) {
            assertEquals(Routing.LOCAL, table.lookup(name).routing(), name);
        }
    }

    @Test
    void multiKeyCommandsThatCanBeSplitFanOutAndTheRestStayBySlot() {
        for (String name : List.of("mget", "mset", "del", "unlink", "exists", "touch")) {
            assertEquals(Routing.FAN_OUT, table.lookup(name).routing(), name);
        }
        for (String name : List.of("msetnx", "sinterstore", "rename", "copy", "lmove", "smove", "zunionstore")) {
            assertEquals(Routing.SLOT, table.lookup(name).routing(), name);
        }
    }

    @Test
    void clusterWideCommandsGoToAllMasters() {
        for (String name : List.of("keys", "scan", "dbsize", "randomkey", "flushall", "flushdb", "info",
                "script|load", "script|exists", "script|flush", "function|load", "function|delete", "config|get")) {
            assertEquals(Routing.ALL_MASTERS, table.lookup(name).routing(), name);
        }
        for (String name : List.of("config|set", "config|resetstat", "config|rewrite")) {
            assertEquals(Routing.ALL_NODES, table.lookup(name).routing(), name);
        }
        for (String name : List.of("time", "function|list")) {
            assertEquals(Routing.ANY_MASTER, table.lookup(name).routing(), name);
        }
    }

    @Test
    void pubsubIntrospectionIsMergedOverTheMasters() {
        assertEquals(Merge.UNION, table.lookup("pubsub|channels").merge());
        assertEquals(Merge.UNION, table.lookup("pubsub|shardchannels").merge());
        assertEquals(Merge.NUMSUB, table.lookup("pubsub|numsub").merge());
        assertEquals(Merge.NUMSUB, table.lookup("pubsub|shardnumsub").merge());
        assertEquals(Merge.MAX, table.lookup("pubsub|numpat").merge());
        assertEquals(Routing.SLOT, table.lookup("publish").routing());
    }

    @Test
    void theProxysUsersAreEditedLocallyAndFunctionStatsAsksEveryMaster() {
        assertEquals(Routing.LOCAL, table.lookup("acl|setuser").routing());
        assertEquals(Routing.LOCAL, table.lookup("acl|deluser").routing());
        assertEquals(Merge.RUNNING_SCRIPT, table.lookup("function|stats").merge());
        assertTrue(Merge.RUNNING_SCRIPT.partsAlone() && Merge.ANY_OK.partsAlone() && !Merge.FIRST.partsAlone());
    }

    @Test
    void administrationIsUnsupported() {
        for (String name : List.of("shutdown", "debug", "save", "bgsave", "replicaof", "slaveof",
                "migrate", "acl|save", "cluster|setslot", "failover", "swapdb")) {
            assertEquals(Routing.UNSUPPORTED, table.lookup(name).routing(), name);
        }
    }

    @Test
    void everyEntryIsSane() {
        List<CommandSpec> specs = table.specs();
        assertTrue(specs.size() > 300, "7.0 has about 240 commands and 130 subcommands: " + specs.size());
        Set<String> names = new HashSet<>();
        for (CommandSpec spec : specs) {
            String n = spec.name();
            assertTrue(names.add(n), "duplicate " + n);
            assertEquals(n, n.toLowerCase(), n);
            assertTrue(spec.arity() != 0, n);
            assertSame(spec, table.lookup(n), n);
            if (spec.firstKey() > 0) {
                assertTrue(spec.step() > 0, n);
                assertTrue(spec.lastKey() < 0 || spec.lastKey() >= spec.firstKey(), n);
            }
            if (spec.routing() == Routing.SLOT) {
                assertTrue(spec.firstKey() > 0 || spec.hasMovableKeys() || spec.keys() instanceof SlotArgument,
                        n + " is routed by slot but has no keys nor slot argument");
            }
            if (spec.hasMovableKeys() && spec.routing() == Routing.SLOT && !n.equals("sort_ro")) {
                assertFalse(spec.keys() instanceof FixedKeys, n + " has movable keys but a fixed locator");
            }
            if (n.indexOf('|') > 0) {
                assertTrue(table.lookup(n.substring(0, n.indexOf('|'))).container(), n);
            }
        }
    }

    @Test
    void flagsComeFromRedis() {
        CommandSpec get = table.lookup("get");
        assertTrue(get.isReadonly());
        assertFalse(get.isWrite());
        assertTrue(get.has(CommandFlag.FAST));
        assertTrue(table.lookup("set").isWrite());
        assertTrue(table.lookup("blpop").isBlocking());
        assertTrue(table.lookup("eval").has(CommandFlag.NO_MANDATORY_KEYS));
        assertEquals(2, table.lookup("get").arity());
        assertEquals(-3, table.lookup("set").arity());
    }

    @Test
    void malformedDataIsRejectedWithTheRowName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandTable.parse(List.of("get\t2\treadonly,shiny\t1\t1\t1\trange\tslot\t-")));
        assertTrue(e.getMessage().contains("'get'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CommandTable.parse(List.of("get\t2\treadonly\t1\t1\t1\trange")));
        assertThrows(IllegalArgumentException.class,
                () -> CommandTable.parse(List.of("get\t2\treadonly\t1\t1\t1\trange\tslot")));
        assertThrows(IllegalArgumentException.class, () -> CommandTable.parse(List.of("get\t2\t-\t1\t1\t1\tsomewhere\tslot\t-")));
        assertThrows(IllegalArgumentException.class, () -> CommandTable.parse(List.of("get\t2\t-\t1\t1\t1\trange\tnowhere\t-")));
        assertThrows(IllegalArgumentException.class, () -> CommandTable.parse(List.of("x|y\t2\t-\t0\t0\t0\trange\tslot\t-")));
    }

    @Test
    void mergesComeFromTheTable() {
        assertEquals(Merge.KEYED_ARRAY, table.lookup("mget").merge());
        assertEquals(Merge.ALL_OK, table.lookup("mset").merge());
        for (String name : List.of("del", "unlink", "exists", "touch", "dbsize")) {
            assertEquals(Merge.SUM, table.lookup(name).merge(), name);
        }
        assertEquals(Merge.CONCAT, table.lookup("keys").merge());
        assertEquals(Merge.ALL_OK, table.lookup("flushall").merge());
        assertEquals(Merge.SAME, table.lookup("script|load").merge());
        assertEquals(Merge.AND, table.lookup("script|exists").merge());
        assertEquals(Merge.ANY_OK, table.lookup("script|kill").merge());
        assertEquals(Merge.FIRST, table.lookup("function|load").merge());
        assertEquals(Merge.RANDOM, table.lookup("randomkey").merge());
        assertEquals(Merge.SCAN, table.lookup("scan").merge());
        assertEquals(Merge.INFO, table.lookup("info").merge());
        assertEquals(Merge.CONFIG_GET, table.lookup("config|get").merge());
        assertEquals(Merge.CONFIG_SET, table.lookup("config|set").merge());
        assertEquals(Merge.RESET_STATS, table.lookup("config|resetstat").merge());
        assertEquals(Merge.ALL_OK, table.lookup("config|rewrite").merge());
        assertNull(table.lookup("get").merge());
        assertNull(table.lookup("ping").merge());
    }

    @Test
    void everyMultiNodeRowHasAMergeThatFitsAndNoOtherRowHasOne() {
        for (CommandSpec spec : table.specs()) {
            boolean multiNode = spec.routing() == Routing.FAN_OUT || spec.routing() == Routing.ALL_MASTERS
                    || spec.routing() == Routing.ALL_NODES;
            assertEquals(multiNode, spec.merge() != null, spec.name());
            if (multiNode) {
                assertTrue(spec.merge().fits(spec.routing()), spec.name());
            }
        }
    }

    @Test
    void aFanOutOrAllMastersRowWithoutItsMergeFailsToLoadNamingTheRow() {
        IllegalArgumentException fanOut = assertThrows(IllegalArgumentException.class,
                () -> CommandTable.parse(List.of("mget\t-2\treadonly\t1\t-1\t1\trange\tfan_out\t-")));
        assertTrue(fanOut.getMessage().contains("'mget'") && fanOut.getMessage().contains("merge"), fanOut.getMessage());
        IllegalArgumentException allMasters = assertThrows(IllegalArgumentException.class,
                () -> CommandTable.parse(List.of("dbsize\t1\treadonly\t0\t0\t0\trange\tall_masters\t-")));
        assertTrue(allMasters.getMessage().contains("'dbsize'"), allMasters.getMessage());
    }

    @Test
    void aMergeThatDoesNotFitItsRoutingFailsToLoad() {
        // keyed_array needs keys split by slot; any_ok and scan only make sense across masters
        assertThrows(IllegalArgumentException.class,
                () -> CommandTable.parse(List.of("keys\t2\treadonly\t0\t0\t0\trange\tall_masters\tkeyed_array")));
        assertThrows(IllegalArgumentException.class,
                () -> CommandTable.parse(List.of("del\t-2\twrite\t1\t-1\t1\trange\tfan_out\tany_ok")));
        assertThrows(IllegalArgumentException.class,
                () -> CommandTable.parse(List.of("get\t2\treadonly\t1\t1\t1\trange\tslot\tsum")));
        assertThrows(IllegalArgumentException.class,
                () -> CommandTable.parse(List.of("dbsize\t1\treadonly\t0\t0\t0\trange\tall_masters\tnosuchmerge")));
    }

    @Test
    void aFanOutRowMustBeNothingButKeysAndTheirValues() {
        // the split rebuilds each part as the name plus its slot's keys: a count or options would be lost
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandTable.parse(List.of("zunion\t-3\treadonly,movablekeys\t0\t0\t0\tnumkeys@1\tfan_out\tsum")));
        assertTrue(e.getMessage().contains("'zunion'"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CommandTable.parse(List.of("hdel\t-3\twrite\t1\t1\t1\trange\tfan_out\tsum")));
    }

    @Test
    void aNewFanOutCommandIsOneRow() {
        CommandTable withRow = CommandTable.parse(List.of("mget\t-2\treadonly\t1\t-1\t1\trange\tfan_out\tkeyed_array",
                "newcount\t-2\treadonly\t1\t-1\t1\trange\tfan_out\tsum"));
        CommandSpec added = withRow.lookup("newcount");
        assertEquals(Routing.FAN_OUT, added.routing());
        assertEquals(Merge.SUM, added.merge());
    }

    @Test
    void movableKeyLocatorsAreTheRightKind() {
        assertInstanceOf(NumKeys.class, table.lookup("eval").keys());
        assertEquals(new NumKeys(2, true, false), table.lookup("zunionstore").keys());
        assertEquals(new NumKeys(2, false, true), table.lookup("fcall").keys());
        assertInstanceOf(StreamKeys.class, table.lookup("xreadgroup").keys());
        assertEquals(new StoreKeys(StoreKeys.Scan.SORT), table.lookup("sort").keys());
        assertEquals(new StoreKeys(StoreKeys.Scan.GEORADIUS), table.lookup("georadiusbymember").keys());
        assertEquals(new FixedKeys(1, -1, 2), table.lookup("mset").keys());
    }
}
