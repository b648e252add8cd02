package io.rcproxy.proxy.command;

import io.rcproxy.proxy.protocol.RedisRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeySlotsTest {

    private static final int FOO = 12182;
    private static final int BAR = 5061;
    private static final int TAG_A = 15495; // {a}...

    private final CommandTable table = CommandTable.builtIn();
    private final Requests requests = new Requests();

    @AfterEach
    void releaseRequests() {
        requests.close();
    }

    /** The keys as Redis's COMMAND GETKEYS would list them. */
    private List<String> keys(String... args) {
        RedisRequest req = requests.of(args);
        CommandSpec spec = table.lookup(req);
        int count = KeySlots.keyCount(spec, req);
        if (count < 0) {
            return List.of("<" + count + ">");
        }
        List<String> keys = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            keys.add(req.argString(KeySlots.keyIndex(spec, req, n)));
        }
        return keys;
    }

    private int slot(String... args) {
        RedisRequest req = requests.of(args);
        return KeySlots.slotOf(table.lookup(req), req);
    }

    @Test
    void singleKeyCommands() {
        assertEquals(List.of("foo"), keys("GET", "foo"));
        assertEquals(List.of("foo"), keys("SET", "foo", "bar", "EX", "10"));
        assertEquals(FOO, slot("get", "foo"));
        assertEquals(FOO, slot("SET", "foo", "bar"));
    }

    @Test
    void multiKeyCommandsUseTheWholeRange() {
        assertEquals(List.of("a", "b", "c"), keys("MGET", "a", "b", "c"));
        assertEquals(List.of("a", "b", "c"), keys("DEL", "a", "b", "c"));
        assertEquals(List.of("k1", "k2"), keys("MSET", "k1", "v1", "k2", "v2"));
        assertEquals(List.of("l1", "l2"), keys("BLPOP", "l1", "l2", "0"));
    }

    @Test
    void subcommandKeysLiveOnTheSubcommand() {
        assertEquals(List.of("foo"), keys("OBJECT", "ENCODING", "foo"));
        assertEquals(List.of("foo"), keys("MEMORY", "USAGE", "foo", "SAMPLES", "5"));
        assertEquals(List.of("s"), keys("XINFO", "STREAM", "s", "FULL"));
        assertEquals(FOO, slot("object", "encoding", "foo"));
        assertEquals(KeySlots.NO_KEYS, slot("OBJECT", "HELP"));
    }

    @Test
    void clusterKeysInSlotRouteByTheirSlotArgument() {
        assertEquals(List.of(), keys("CLUSTER", "COUNTKEYSINSLOT", "12182"));
        assertEquals(12182, slot("cluster", "countkeysinslot", "12182"));
        assertEquals(7, slot("CLUSTER", "GETKEYSINSLOT", "7", "10"));
        assertEquals(KeySlots.BAD_NUMKEYS, slot("CLUSTER", "COUNTKEYSINSLOT", "16384"));
        assertEquals(KeySlots.BAD_NUMKEYS, slot("CLUSTER", "COUNTKEYSINSLOT", "x"));
    }

    @Test
    void evalKeysFollowNumkeys() {
        assertEquals(List.of(), keys("EVAL", "return 1", "0", "notakey"));
        assertEquals(List.of("a", "b"), keys("EVAL", "return 1", "2", "a", "b", "arg"));
        assertEquals(List.of("a"), keys("FCALL_RO", "f", "1", "a", "arg"));
        assertEquals(KeySlots.NO_KEYS, slot("EVALSHA", "abc", "0"));
        assertEquals(FOO, slot("EVAL", "s", "1", "foo"));
    }

    @Test
    void badNumkeysIsReported() {
        assertEquals(KeySlots.BAD_NUMKEYS, slot("EVAL", "s", "3", "a", "b"));
        assertEquals(KeySlots.BAD_NUMKEYS, slot("EVAL", "s", "-1"));
        assertEquals(KeySlots.BAD_NUMKEYS, slot("EVAL", "s", "x", "a"));
        assertEquals(KeySlots.BAD_NUMKEYS, slot("ZUNION", "0", "a"));
        assertEquals(List.of("<" + KeySlots.BAD_NUMKEYS + ">"), keys("SINTERCARD", "0", "a"));
    }

    @Test
    void storeCommandsCountTheDestination() {
        assertEquals(List.of("dest", "a", "b"), keys("ZUNIONSTORE", "dest", "2", "a", "b", "WEIGHTS", "1", "2"));
        assertEquals(List.of("dest", "a"), keys("ZINTERSTORE", "dest", "1", "a"));
        assertEquals(List.of("dest", "a", "b"), keys("ZDIFFSTORE", "dest", "2", "a", "b"));
        assertEquals(List.of("a", "b"), keys("ZUNION", "2", "a", "b", "WITHSCORES"));
    }

    @Test
    void numkeysCommandsWithCountFirst() {
        assertEquals(List.of("a", "b"), keys("SINTERCARD", "2", "a", "b", "LIMIT", "1"));
        assertEquals(List.of("a", "b"), keys("ZINTERCARD", "2", "a", "b"));
        assertEquals(List.of("a", "b"), keys("LMPOP", "2", "a", "b", "LEFT", "COUNT", "2"));
        assertEquals(List.of("a"), keys("ZMPOP", "1", "a", "MIN"));
    }

    @Test
    void blockingNumkeysCommandsHaveTheTimeoutFirst() {
        assertEquals(List.of("a", "b"), keys("BLMPOP", "0", "2", "a", "b", "LEFT"));
        assertEquals(List.of("a"), keys("BZMPOP", "1.5", "1", "a", "MAX", "COUNT", "3"));
    }

    @Test
    void streamKeysFollowStreams() {
        assertEquals(List.of("k1", "k2"), keys("XREAD", "COUNT", "2", "BLOCK", "0", "STREAMS", "k1", "k2", "0", "0"));
        assertEquals(List.of("k1", "k2"), keys("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "k1", "k2", "0", "0"));
        // "streams" as a group or consumer name is not the keyword.
        assertEquals(List.of("k"), keys("XREADGROUP", "GROUP", "streams", "streams", "NOACK", "STREAMS", "k", ">"));
        assertEquals(KeySlots.BAD_NUMKEYS, slot("XREAD", "STREAMS", "k1", "k2", "0"));
        assertEquals(KeySlots.BAD_NUMKEYS, slot("XREAD", "COUNT", "1", "NOPE", "STREAMS", "k", "0"));
        assertEquals(FOO, slot("XREAD", "STREAMS", "foo", "$"));
    }

    @Test
    void sortStoresIntoTheLastStoreDestination() {
        assertEquals(List.of("list"), keys("SORT", "list", "BY", "store", "LIMIT", "0", "10", "ALPHA"));
        assertEquals(List.of("list", "dest"), keys("SORT", "list", "GET", "#", "STORE", "dest"));
        assertEquals(List.of("list", "d2"), keys("SORT", "list", "STORE", "d1", "STORE", "d2"));
        assertEquals(List.of("list"), keys("SORT_RO", "list", "ALPHA"));
    }

    @Test
    void georadiusStoresIntoStoreOrStoredist() {
        assertEquals(List.of("geo"), keys("GEORADIUS", "geo", "15", "37", "200", "km", "WITHDIST"));
        assertEquals(List.of("geo", "dest"), keys("GEORADIUS", "geo", "15", "37", "200", "km", "STORE", "dest"));
        assertEquals(List.of("geo", "dist"),
                keys("GEORADIUSBYMEMBER", "geo", "m", "200", "km", "COUNT", "5", "STOREDIST", "dist"));
    }

    @Test
    void keysInDifferentSlotsAreCrossSlot() {
        assertEquals(KeySlots.CROSS_SLOT, slot("MGET", "foo", "bar"));
        assertEquals(KeySlots.CROSS_SLOT, slot("MSET", "foo", "1", "bar", "2"));
        assertEquals(KeySlots.CROSS_SLOT, slot("EVAL", "s", "2", "foo", "bar"));
        assertEquals(KeySlots.CROSS_SLOT, slot("ZUNIONSTORE", "foo", "1", "bar"));
        assertEquals(KeySlots.CROSS_SLOT, slot("SORT", "foo", "STORE", "bar"));
        assertEquals(KeySlots.CROSS_SLOT, slot("XREAD", "STREAMS", "foo", "bar", "0", "0"));
        assertEquals(KeySlots.CROSS_SLOT, slot("GEORADIUS", "foo", "1", "2", "3", "km", "STORE", "bar"));
        assertEquals(BAR, slot("MGET", "bar", "bar"));
    }

    @Test
    void hashTagsPutKeysInOneSlot() {
        assertEquals(TAG_A, slot("MGET", "{a}x", "{a}y"));
        assertEquals(TAG_A, slot("MSET", "{a}x", "1", "{a}y", "2"));
        assertEquals(TAG_A, slot("ZUNIONSTORE", "{a}dest", "2", "{a}1", "{a}2"));
        assertEquals(TAG_A, slot("SORT", "{a}list", "STORE", "{a}dest"));
    }

    @Test
    void keylessCommandsHaveNoSlot() {
        assertEquals(KeySlots.NO_KEYS, slot("PING"));
    }

    @Test
    void publishHashesItsChannelLikeAKey() {
        assertEquals(TAG_A, slot("PUBLISH", "{a}channel", "message"));
    }

    @Test
    void arityIsCheckedFirst() {
        assertEquals(KeySlots.WRONG_ARITY, slot("GET"));
        assertEquals(KeySlots.WRONG_ARITY, slot("GET", "a", "b"));
        assertEquals(KeySlots.WRONG_ARITY, slot("SET", "a"));
        assertEquals(KeySlots.WRONG_ARITY, slot("EVAL", "s"));
        assertEquals(KeySlots.WRONG_ARITY, slot("XREADGROUP", "GROUP", "g", "c", "STREAMS", "k"));
        assertEquals(KeySlots.WRONG_ARITY, slot("OBJECT", "ENCODING"));
        RedisRequest req = requests.of("GET");
        assertEquals(KeySlots.WRONG_ARITY, KeySlots.keyCount(table.lookup(req), req));
    }

    @Test
    void lookupAndSlotOfAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RedisRequest[] reqs = {
            requests.of("GET", "foo"),
            requests.of("mget", "{a}1", "{a}2", "{a}3"),
            requests.of("EVAL", "s", "2", "{a}1", "{a}2"),
            requests.of("XREADGROUP", "GROUP", "g", "c", "STREAMS", "k", ">"),
            requests.of("OBJECT", "ENCODING", "foo"),
            requests.of("SORT", "l", "STORE", "d"),
        };
        long sink = 0;
        for (int i = 0; i < 50_000; i++) {
            RedisRequest req = reqs[i % reqs.length];
            sink += KeySlots.slotOf(table.lookup(req), req);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            RedisRequest req = reqs[i % reqs.length];
            sink += KeySlots.slotOf(table.lookup(req), req);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(sink != 0);
        // A few hundred bytes of slack for the measurement itself; one allocation per call would be megabytes.
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes for 100,000 lookups");
    }
}
