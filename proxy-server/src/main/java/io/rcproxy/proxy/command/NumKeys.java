package io.rcproxy.proxy.command;

import io.rcproxy.proxy.protocol.RedisRequest;

/**
 * Keys announced by a count: {@code numkeys} at {@code countIndex}, the keys right after it
 * (EVAL script numkeys key..., ZUNION numkeys key..., BLMPOP timeout numkeys key...), and with
 * {@code dest} also the destination key at index 1 (ZUNIONSTORE dest numkeys key...).
 *
 * <p>A count that is not a number, is negative, overruns the arguments, or is zero where Redis
 * requires a key ({@code zeroAllowed} is false: all but EVAL and FCALL) gives {@link KeySlots#BAD_NUMKEYS}.
 *
 * <p>Immutable; any thread.
 */
record NumKeys(int countIndex, boolean dest, boolean zeroAllowed) implements KeyLocator {

    NumKeys {
        if (countIndex < (dest ? 2 : 1)) {
            throw new IllegalArgumentException("numkeys must come after the command name and destination: " + countIndex);
        }
    }

    @Override
    public int slotOf(RedisRequest req) {
        int numkeys = numkeys(req);
        if (numkeys < 0) {
            return KeySlots.BAD_NUMKEYS;
        }
        int slot = dest ? KeySlots.slotOfArg(req, 1) : KeySlots.NO_KEYS;
        for (int i = countIndex + 1, end = countIndex + 1 + numkeys; i < end && slot != KeySlots.CROSS_SLOT; i++) {
            slot = KeySlots.merge(slot, KeySlots.slotOfArg(req, i));
        }
        return slot;
    }

    @Override
    public int keyCount(RedisRequest req) {
        int numkeys = numkeys(req);
        if (numkeys < 0) {
            return KeySlots.BAD_NUMKEYS;
        }
        return dest ? numkeys + 1 : numkeys;
    }

    @Override
    public int keyIndex(RedisRequest req, int n) {
        if (dest) {
            return n == 0 ? 1 : countIndex + n;
        }
        return countIndex + 1 + n;
    }

    /** The announced key count, or -1 when it is unusable. */
    private int numkeys(RedisRequest req) {
        if (countIndex >= req.argCount()) {
            return -1;
        }
        long numkeys = req.argAsLong(countIndex, -1);
        int available = req.argCount() - countIndex - 1;
        if (numkeys < 0 || numkeys > available || (numkeys == 0 && !zeroAllowed)) {
            return -1;
        }
        return (int) numkeys;
    }
}
