package io.rcproxy.proxy.multinode;

/**
 * A multi-key request's keys grouped by slot: each group becomes one sub-request, because Redis Cluster
 * refuses a multi-key command whose keys hash to different slots even when one node owns them all.
 *
 * <p>Keys are numbered 0..n-1 in the client's order. {@link #order} lists them sorted by slot, and within
 * a slot in the client's order, so group {@code g} is {@code order[start(g) .. end(g))} and a sub-request
 * built from it keeps the client's key order. Sizes are fixed by the key count: no maps.
 *
 * <p>Immutable once built; used on one event loop.
 */
final class SlotGroups {

    private final int[] order;
    private final int[] starts;
    private final int[] slots;

    private SlotGroups(int[] order, int[] starts, int[] slots) {
        this.order = order;
        this.starts = starts;
        this.slots = slots;
    }

    /** Groups keys whose slots are {@code keySlots[n]} (each 0..16383). */
    static SlotGroups of(int[] keySlots) {
        int n = keySlots.length;
        // slot in the high half, key number in the low half: one sort orders by slot, then client order.
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            packed[i] = ((long) keySlots[i] << 32) | i;
        }
        java.util.Arrays.sort(packed);
        int[] order = new int[n];
        int groups = 0;
        for (int i = 0; i < n; i++) {
            order[i] = (int) packed[i];
            if (i == 0 || (packed[i] >>> 32) != (packed[i - 1] >>> 32)) {
                groups++;
            }
        }
        int[] starts = new int[groups + 1];
        int[] slots = new int[groups];
        int g = 0;
        for (int i = 0; i < n; i++) {
            int slot = (int) (packed[i] >>> 32);
            if (i == 0 || slot != slots[g - 1]) {
                starts[g] = i;
                slots[g] = slot;
                g++;
            }
        }
        starts[groups] = n;
        return new SlotGroups(order, starts, slots);
    }

    int groupCount() {
        return slots.length;
    }

    int slot(int group) {
        return slots[group];
    }

    /** Position in {@link #keyAt} of the group's first key. */
    int start(int group) {
        return starts[group];
    }

    /** Position in {@link #keyAt} just past the group's last key. */
    int end(int group) {
        return starts[group + 1];
    }

    /** The client's number of the key at {@code position} in slot order. */
    int keyAt(int position) {
        return order[position];
    }
}
