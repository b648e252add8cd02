package io.rcproxy.proxy.command;

import io.rcproxy.proxy.protocol.RedisRequest;

/**
 * Where a request's keys are and which slot they hash to: the routing question asked of every
 * request. Allocation-free; stateless; runs on the client connection's event loop.
 *
 * <p>{@link #slotOf} answers with a slot (0..16383) or one of the negative outcomes below. For
 * {@link #BAD_NUMKEYS} Redis's own error text depends on the command (numkeys not a number, negative,
 * larger than the arguments, unbalanced STREAMS...); the frontend can forward such a request to any
 * master to have Redis explain, or reply a generic syntax error itself.
 */
public final class KeySlots {

    /** The command has no keys in this request (PING, EVAL with numkeys 0): any master will do. */
    public static final int NO_KEYS = -1;
    /** Keys hash to different slots: Redis's {@code -CROSSSLOT Keys in request don't hash to the same slot}. */
    public static final int CROSS_SLOT = -2;
    /** Argument count outside the arity: {@code -ERR wrong number of arguments for '<name>' command}. */
    public static final int WRONG_ARITY = -3;
    /** Key positions cannot be told from the arguments (bad numkeys, unbalanced STREAMS). */
    public static final int BAD_NUMKEYS = -4;

    private KeySlots() {
    }

    /** The slot all keys of {@code req} hash to, or {@link #NO_KEYS}, {@link #CROSS_SLOT}, {@link #WRONG_ARITY}, {@link #BAD_NUMKEYS}. */
    public static int slotOf(CommandSpec spec, RedisRequest req) {
        if (!spec.acceptsArgCount(req.argCount())) {
            return WRONG_ARITY;
        }
        return spec.keys().slotOf(req);
    }

    /**
     * How many keys {@code req} names, or {@link #WRONG_ARITY} or {@link #BAD_NUMKEYS}. With
     * {@link #keyIndex} this walks the keys in Redis's order (for splitting a multi-key command).
     */
    public static int keyCount(CommandSpec spec, RedisRequest req) {
        if (!spec.acceptsArgCount(req.argCount())) {
            return WRONG_ARITY;
        }
        return spec.keys().keyCount(req);
    }

    /**
     * The argument index of key {@code n}, for {@code 0 <= n < keyCount(spec, req)}. Constant time
     * for fixed key positions; commands whose keys move may rescan a few arguments on each call.
     */
    public static int keyIndex(CommandSpec spec, RedisRequest req, int n) {
        return spec.keys().keyIndex(req, n);
    }

    /** The slot of argument {@code i}. The one call site of the slot hash. */
    static int slotOfArg(RedisRequest req, int i) {
        return io.rcproxy.cluster.slot.SlotHash.slot(req.frame(), req.argOffset(i), req.argLength(i));
    }

    /** Folds the slot of one more key into the slot of the keys before it ({@link #NO_KEYS} at first). */
    static int merge(int slotSoFar, int keySlot) {
        return (slotSoFar == NO_KEYS || slotSoFar == keySlot) ? keySlot : CROSS_SLOT;
    }
}
