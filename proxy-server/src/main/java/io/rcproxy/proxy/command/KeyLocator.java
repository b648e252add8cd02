package io.rcproxy.proxy.command;

import io.rcproxy.proxy.protocol.RedisRequest;

/**
 * Finds the keys of one command in a request: at fixed positions ({@link FixedKeys}) or, for Redis's
 * "movablekeys" commands, by reading a numkeys argument or scanning for a keyword.
 *
 * <p>Implementations are immutable, allocation-free and shared by every event loop. They assume the
 * request's argument count already matches the command's arity (see {@link KeySlots}), and never
 * read past the last argument whatever the request holds.
 */
public sealed interface KeyLocator permits FixedKeys, NumKeys, StreamKeys, StoreKeys, SlotArgument {

    /** Slot of all keys, or {@link KeySlots#NO_KEYS}, {@link KeySlots#CROSS_SLOT}, {@link KeySlots#BAD_NUMKEYS}. */
    int slotOf(RedisRequest req);

    /** Number of keys, or {@link KeySlots#BAD_NUMKEYS}. */
    int keyCount(RedisRequest req);

    /** Argument index of key {@code n}, {@code 0 <= n < keyCount(req)}. */
    int keyIndex(RedisRequest req, int n);
}
