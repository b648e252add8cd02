package io.rcproxy.proxy.command;

import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.protocol.RedisRequest;

/**
 * No key, but a slot number as argument {@code index} (CLUSTER COUNTKEYSINSLOT, CLUSTER GETKEYSINSLOT):
 * the request goes to that slot's master. A number that is not a slot is {@link KeySlots#BAD_NUMKEYS}, so
 * a master explains it with Redis's own error.
 *
 * <p>Immutable; any thread.
 */
record SlotArgument(int index) implements KeyLocator {

    @Override
    public int slotOf(RedisRequest req) {
        if (index >= req.argCount()) {
            return KeySlots.BAD_NUMKEYS;
        }
        long slot = req.argAsLong(index, -1);
        return slot >= 0 && slot < SlotMap.SLOT_COUNT ? (int) slot : KeySlots.BAD_NUMKEYS;
    }

    @Override
    public int keyCount(RedisRequest req) {
        return 0;
    }

    @Override
    public int keyIndex(RedisRequest req, int n) {
        throw new IndexOutOfBoundsException("a slot argument names no key");
    }
}
