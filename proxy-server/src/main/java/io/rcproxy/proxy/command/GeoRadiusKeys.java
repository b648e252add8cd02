package io.rcproxy.proxy.command;

import io.rcproxy.proxy.protocol.RedisRequest;

import java.nio.charset.StandardCharsets;

/**
 * GEORADIUS and GEORADIUSBYMEMBER: the key at index 1, and the destination after the last STORE or
 * STOREDIST option, looked for from index 5 on as Redis's {@code georadiusGetKeys} does.
 *
 * <p>Immutable; any thread.
 */
record GeoRadiusKeys() implements KeyLocator {

    private static final byte[] STORE = "store".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STOREDIST = "storedist".getBytes(StandardCharsets.US_ASCII);

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

    /** Index of the destination key, or -1 without STORE/STOREDIST. */
    private static int storeKey(RedisRequest req) {
        int argc = req.argCount();
        int store = -1;
        for (int i = 5; i < argc; i++) {
            if ((req.argEqualsIgnoreCase(i, STORE) || req.argEqualsIgnoreCase(i, STOREDIST)) && i + 1 < argc) {
                store = i + 1;
                i++;
            }
        }
        return store;
    }
}
