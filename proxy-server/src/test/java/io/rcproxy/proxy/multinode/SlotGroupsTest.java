package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotGroupsTest {

    private static List<List<Integer>> groups(SlotGroups groups) {
        List<List<Integer>> out = new ArrayList<>();
        for (int g = 0; g < groups.groupCount(); g++) {
            List<Integer> keys = new ArrayList<>();
            for (int p = groups.start(g); p < groups.end(g); p++) {
                keys.add(groups.keyAt(p));
            }
            out.add(keys);
        }
        return out;
    }

    @Test
    void keysSharingASlotFormOneGroupInClientOrder() {
        SlotGroups groups = SlotGroups.of(new int[] {900, 5, 900, 16383, 5, 900});
        assertEquals(List.of(List.of(1, 4), List.of(0, 2, 5), List.of(3)), groups(groups));
        assertEquals(5, groups.slot(0));
        assertEquals(900, groups.slot(1));
        assertEquals(16383, groups.slot(2));
    }

    @Test
    void everyKeyInADifferentSlotIsItsOwnGroup() {
        SlotGroups groups = SlotGroups.of(new int[] {3, 2, 1, 0});
        assertEquals(List.of(List.of(3), List.of(2), List.of(1), List.of(0)), groups(groups));
    }

    @Test
    void oneKeyIsOneGroup() {
        SlotGroups groups = SlotGroups.of(new int[] {0});
        assertEquals(1, groups.groupCount());
        assertEquals(0, groups.slot(0));
        assertEquals(List.of(List.of(0)), groups(groups));
    }

    @Test
    void groupsPartitionAllKeys() {
        int[] slots = new int[1000];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = (i * 7919) % 37;
        }
        SlotGroups groups = SlotGroups.of(slots);
        assertEquals(37, groups.groupCount());
        boolean[] seen = new boolean[slots.length];
        for (int g = 0; g < groups.groupCount(); g++) {
            int previous = -1;
            for (int p = groups.start(g); p < groups.end(g); p++) {
                int key = groups.keyAt(p);
                assertEquals(groups.slot(g), slots[key]);
                assertEquals(true, key > previous, "client order within a group");
                assertEquals(false, seen[key]);
                seen[key] = true;
                previous = key;
            }
        }
    }
}
