package io.rcproxy.proxy.command;

import io.rcproxy.proxy.protocol.RedisRequest;

/**
 * Keys at fixed positions, as Redis's legacy (first, last, step) range: {@code last} counts from the
 * end when negative (-1 is the last argument). {@code first == 0} means no keys. Like Redis, a range
 * that runs past the arguments yields no keys and leaves the error to the command itself.
 *
 * <p>Immutable; any thread.
 */
record FixedKeys(int first, int last, int step) implements KeyLocator {

    static final FixedKeys NONE = new FixedKeys(0, 0, 0);

    @Override
    public int slotOf(RedisRequest req) {
        int count = keyCount(req);
        int slot = KeySlots.NO_KEYS;
        for (int n = 0, i = first; n < count && slot != KeySlots.CROSS_SLOT; n++, i += step) {
            slot = KeySlots.merge(slot, KeySlots.slotOfArg(req, i));
        }
        return slot;
    }

    @Override
    public int keyCount(RedisRequest req) {
        if (first <= 0) {
            return 0;
        }
        int argc = req.argCount();
        int lastIndex = last < 0 ? argc + last : last;
        if (lastIndex < first || lastIndex >= argc) {
            return 0;
        }
        return (lastIndex - first) / step + 1;
    }

    @Override
    public int keyIndex(RedisRequest req, int n) {
        return first + n * step;
    }
}
