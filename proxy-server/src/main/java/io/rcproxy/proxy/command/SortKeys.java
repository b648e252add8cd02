package io.rcproxy.proxy.command;

import io.rcproxy.proxy.protocol.RedisRequest;

import java.nio.charset.StandardCharsets;

/**
 * SORT: the key at index 1, and the destination after the last STORE option. Options are skipped as
 * Redis's {@code sortGetKeys} does (LIMIT takes two values, GET and BY one), so a pattern that reads
 * "store" is not taken for the keyword.
 *
 * <p>Immutable; any thread.
 */
record SortKeys() implements KeyLocator {

    private static final byte[] LIMIT = "limit".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET = "get".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BY = "by".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STORE = "store".getBytes(StandardCharsets.US_ASCII);

    @Override
    public int slotOf(RedisRequest req) {
        int slot = KeySlots.slotOfArg(req, 1);
        int store = storeKey(req);
        return store < 0 ? slot : KeySlots.merge(slot, KeySlots.slotOfArg(req, store));
    }

    @Override
    public int keyCount(RedisRequest req) {
        return storeKey(req) < 0 ? 1 : 2;
    }

    @Override
    public int keyIndex(RedisRequest req, int n) {
        return n == 0 ? 1 : storeKey(req);
    }

    /** Index of the destination key, or -1 without STORE. */
    private static int storeKey(RedisRequest req) {
        int argc = req.argCount();
        int store = -1;
        for (int i = 2; i < argc; i++) {
            if (req.argEqualsIgnoreCase(i, LIMIT)) {
                i += 2;
            } else if (req.argEqualsIgnoreCase(i, GET) || req.argEqualsIgnoreCase(i, BY)) {
                i++;
            } else if (req.argEqualsIgnoreCase(i, STORE) && i + 1 < argc) {
                // No skip: Redis's own scan looks at the destination as an option too; the last STORE wins.
                store = i + 1;
            }
        }
        return store;
    }
}
