package io.rcproxy.proxy.command;

import io.rcproxy.proxy.protocol.RedisRequest;
import java.nio.charset.StandardCharsets;

/**
 * A source key at index 1 plus an optional destination named by a STORE-like option, as in SORT and
 * GEORADIUS(BYMEMBER). The two commands differ only in how their options are scanned, which
 * {@link Scan} holds; the key arithmetic is shared.
 *
 * <p>Immutable; any thread.
 */
record StoreKeys(Scan scan) implements KeyLocator {

    private static final byte[] LIMIT = "limit".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET = "get".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BY = "by".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STORE = "store".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STOREDIST = "storedist".getBytes(StandardCharsets.US_ASCII);

    /** How a command's options are read to find its destination key. */
    enum Scan {
        /**
         * SORT: options skipped as Redis's {@code sortGetKeys} does (LIMIT takes two values, GET and BY
         * one), so a pattern that reads "store" is not taken for the keyword; the last STORE wins.
         */
        SORT {
            @Override
            int destination(RedisRequest req) {
                int argc = req.argCount();
                int store = -1;
                for (int i = 2; i < argc; i++) {
                    if (req.argEqualsIgnoreCase(i, LIMIT)) {
                        i += 2;
                    } else if (req.argEqualsIgnoreCase(i, GET) || req.argEqualsIgnoreCase(i, BY)) {
                        i++;
                    } else if (req.argEqualsIgnoreCase(i, STORE) && i + 1 < argc) {
                        // No skip: Redis's own scan looks at the destination as an option too.
                        store = i + 1;
                    }
                }
                return store;
            }
        },
        /** GEORADIUS(BYMEMBER): the last STORE or STOREDIST from index 5 on, as {@code georadiusGetKeys}. */
        GEORADIUS {
            @Override
            int destination(RedisRequest req) {
                int argc = req.argCount();
                int store = -1;
                for (int i = 5; i < argc; i++) {
                    if ((req.argEqualsIgnoreCase(i, STORE) || req.argEqualsIgnoreCase(i, STOREDIST))
                            && i + 1 < argc) {
                        store = i + 1;
                        i++;
                    }
                }
                return store;
            }
        };

        /** Index of the destination key, or -1 when the request names none. */
        abstract int destination(RedisRequest req);
    }

    @Override
    public int slotOf(RedisRequest req) {
        int slot = KeySlots.slotOfArg(req, 1);
        int store = scan.destination(req);
        return store < 0 ? slot : KeySlots.merge(slot, KeySlots.slotOfArg(req, store));
    }

    @Override
    public int keyCount(RedisRequest req) {
        return scan.destination(req) < 0 ? 1 : 2;
    }

    @Override
    public int keyIndex(RedisRequest req, int n) {
        return n == 0 ? 1 : scan.destination(req);
    }
}
