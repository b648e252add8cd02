package io.rcproxy.cluster.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SlotMapTest {

    private static final ClusterNode A = ClusterNode.of("127.0.0.1", 17001);
    private static final ClusterNode B = ClusterNode.of("127.0.0.1", 17002);

    private static SlotMap halfAndHalf() {
        ClusterNode[] owners = new ClusterNode[SlotMap.SLOT_COUNT];
        Arrays.fill(owners, 0, 8192, A);
        Arrays.fill(owners, 8192, SlotMap.SLOT_COUNT, B);
        return SlotMap.of(owners, List.of(new Shard(A, List.of()), new Shard(B, List.of())), 1);
    }

    @Test
    void ownerIsTheNodeAssignedToTheSlot() {
        SlotMap map = halfAndHalf();
        assertSame(A, map.owner(0));
        assertSame(A, map.owner(8191));
        assertSame(B, map.owner(8192));
        assertSame(B, map.owner(16383));
        assertTrue(map.coversAllSlots());
        assertEquals(List.of(A, B), map.masters());
    }

    @Test
    void movedPatchesOneSlotInACopyAndLeavesTheOriginalAlone() {
        SlotMap map = halfAndHalf();
        SlotMap patched = map.withOwner(100, B);
        assertSame(B, patched.owner(100));
        assertSame(A, patched.owner(99));
        assertSame(A, map.owner(100));
        assertEquals(map.epoch() + 1, patched.epoch());
        assertFalse(map.sameRouting(patched));
    }

    @Test
    void patchingToTheSameOwnerReturnsTheSameSnapshot() {
        SlotMap map = halfAndHalf();
        assertSame(map, map.withOwner(100, A));
    }

    @Test
    void movedToAnUnknownNodeAddsItAsAMaster() {
        ClusterNode c = ClusterNode.of("127.0.0.1", 17003);
        SlotMap patched = halfAndHalf().withOwner(5, c);
        assertTrue(patched.masters().contains(c));
    }

    @Test
    void mastersAreTheSlotOwnersNotTheShardList() {
        ClusterNode slotless = ClusterNode.of("127.0.0.1", 17004);
        ClusterNode[] owners = new ClusterNode[SlotMap.SLOT_COUNT];
        Arrays.fill(owners, 0, 8192, B);
        Arrays.fill(owners, 8192, SlotMap.SLOT_COUNT, A);
        SlotMap map = SlotMap.of(owners,
                List.of(new Shard(slotless, List.of()), new Shard(A, List.of()), new Shard(B, List.of())), 1);
        assertEquals(List.of(B, A), map.masters(), "slot order, and the slotless shard head left out");
    }

    @Test
    void failedOwnerIsLeftOutOfTheMastersUntilItAnswersAMoved() {
        ClusterNode[] owners = new ClusterNode[SlotMap.SLOT_COUNT];
        Arrays.fill(owners, 0, 8192, A);
        Arrays.fill(owners, 8192, SlotMap.SLOT_COUNT, B);
        SlotMap map = SlotMap.of(owners, List.of(new Shard(A, List.of()), new Shard(B, List.of())), Set.of(B), 1);
        assertEquals(List.of(A), map.masters());
        assertEquals(List.of(A, B), map.owningNodes());
        assertFalse(map.sameRouting(halfAndHalf()), "health changes which masters count");
        assertEquals(List.of(A, B), map.withOwner(3, B).masters());
    }

    @Test
    void sameRoutingIgnoresTheEpochAndTheShardOrder() {
        SlotMap map = halfAndHalf();
        ClusterNode[] owners = new ClusterNode[SlotMap.SLOT_COUNT];
        Arrays.fill(owners, 0, 8192, A);
        Arrays.fill(owners, 8192, SlotMap.SLOT_COUNT, B);
        SlotMap reordered = SlotMap.of(owners, List.of(new Shard(B, List.of()), new Shard(A, List.of())), 9);
        assertTrue(map.sameRouting(reordered));
        assertTrue(map.sameShards(reordered));
        assertFalse(map.sameShards(SlotMap.of(owners, List.of(new Shard(B, List.of(A)), new Shard(A, List.of())), 9)));
    }

    @Test
    void emptyMapServesNoSlot() {
        SlotMap empty = SlotMap.empty();
        assertNull(empty.owner(0));
        assertEquals(0, empty.coveredSlots());
        assertTrue(empty.masters().isEmpty());
    }

    @Test
    void internedNodesAreOneObjectPerEndpoint() {
        assertSame(A, ClusterNode.of(new HostAndPort("127.0.0.1", 17001)));
        assertFalse(A.index() == B.index());
    }

    @Test
    void hostAndPortParsesIpv4AndIpv6() {
        assertEquals(new HostAndPort("127.0.0.1", 7001), HostAndPort.parse("127.0.0.1:7001"));
        assertEquals(new HostAndPort("::1", 7001), HostAndPort.parse("::1:7001"));
        assertEquals(new HostAndPort("::1", 7001), HostAndPort.parse("[::1]:7001"));
        assertEquals("[::1]:7001", new HostAndPort("::1", 7001).toString());
    }
}
