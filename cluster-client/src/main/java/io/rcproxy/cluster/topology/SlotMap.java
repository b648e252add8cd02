package io.rcproxy.cluster.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of the cluster: which master owns each of the 16384 slots, and the shards.
 * Readers on any thread call {@link #owner(int)} without locking; a change builds a new snapshot.
 *
 * <p>The masters are the nodes that own slots, never the shard list as given: Redis 7.0 keeps listing a
 * master that failed over as the head of its own, slotless shard, and such a node must not hold up
 * readiness or receive broadcasts. A node still owning slots while the cluster reports it failed stays the
 * owner of those slots (there is nowhere else to send them until a replica takes over) but is not counted
 * among the {@linkplain #masters() masters}.
 */
public final class SlotMap {

    public static final int SLOT_COUNT = 16384;

    private static final SlotMap EMPTY = new SlotMap(new ClusterNode[SLOT_COUNT], List.of(), Set.of(), 0);

    private final ClusterNode[] owners;
    private final List<Shard> shards;
    private final Set<ClusterNode> failed;
    private final List<ClusterNode> owningNodes;
    private final List<ClusterNode> masters;
    private final long epoch;
    private final int coveredSlots;

    private SlotMap(ClusterNode[] owners, List<Shard> shards, Set<ClusterNode> failed, long epoch) {
        this.owners = owners;
        this.shards = List.copyOf(shards);
        this.failed = Set.copyOf(failed);
        this.epoch = epoch;
        // In slot order: the same owners give the same list whichever node's reply they came from.
        Set<ClusterNode> owning = new LinkedHashSet<>();
        int covered = 0;
        for (ClusterNode owner : owners) {
            if (owner != null) {
                covered++;
                owning.add(owner);
            }
        }
        this.owningNodes = List.copyOf(owning);
        List<ClusterNode> healthy = new ArrayList<>(owning.size());
        for (ClusterNode node : owning) {
            if (!this.failed.contains(node)) {
                healthy.add(node);
            }
        }
        this.masters = List.copyOf(healthy);
        this.coveredSlots = covered;
    }

    public static SlotMap empty() {
        return EMPTY;
    }

    /** Builds a snapshot in which every owner is healthy; {@code owners} is copied. */
    public static SlotMap of(ClusterNode[] owners, List<Shard> shards, long epoch) {
        return of(owners, shards, Set.of(), epoch);
    }

    /**
     * Builds a snapshot; {@code owners} is copied. {@code failed} names the nodes the cluster reports as
     * failed: they keep the slots they own but are left out of {@link #masters()}.
     */
    public static SlotMap of(ClusterNode[] owners, List<Shard> shards, Set<ClusterNode> failed, long epoch) {
        if (owners.length != SLOT_COUNT) {
            throw new IllegalArgumentException("owners must have " + SLOT_COUNT + " entries");
        }
        return new SlotMap(owners.clone(), shards, failed, epoch);
    }

    /** True once a topology query has given at least one slot an owner. */
    public boolean isLoaded() {
        return coveredSlots > 0;
    }

    /** The master serving {@code slot}, or null when no node serves it. */
    public ClusterNode owner(int slot) {
        return owners[slot];
    }

    /** A copy of this map where {@code slot} belongs to {@code node}: the immediate effect of a MOVED. */
    public SlotMap withOwner(int slot, ClusterNode node) {
        if (owners[slot] == node) {
            return this;
        }
        ClusterNode[] patched = owners.clone();
        patched[slot] = node;
        List<Shard> patchedShards = shards;
        if (!owningNodes.contains(node) && shards.stream().noneMatch(s -> s.master() == node)) {
            patchedShards = new ArrayList<>(shards);
            patchedShards.add(new Shard(node, List.of()));
        }
        // Redis answered for the slot, so whatever the last query said, the node is serving now.
        Set<ClusterNode> patchedFailed = failed;
        if (failed.contains(node)) {
            patchedFailed = new HashSet<>(failed);
            patchedFailed.remove(node);
        }
        return new SlotMap(patched, patchedShards, patchedFailed, epoch + 1);
    }

    /**
     * The healthy masters: nodes that own at least one slot and that the cluster does not report failed, in
     * slot order. Readiness, broadcasts and SCAN use these.
     */
    public List<ClusterNode> masters() {
        return masters;
    }

    /** Every node that owns a slot, failed or not, in slot order: the nodes commands may be routed to. */
    public List<ClusterNode> owningNodes() {
        return owningNodes;
    }

    /** Nodes the last topology query reported as failed. */
    public Set<ClusterNode> failed() {
        return failed;
    }

    public List<Shard> shards() {
        return shards;
    }

    /** Increases with every change the client observes; for metrics and logs. */
    public long epoch() {
        return epoch;
    }

    public int coveredSlots() {
        return coveredSlots;
    }

    public boolean coversAllSlots() {
        return coveredSlots == SLOT_COUNT;
    }

    /**
     * True when both maps route every slot to the same node and count the same masters (epochs aside).
     * Shards and replicas are compared as sets elsewhere: their order depends on which node answered.
     */
    public boolean sameRouting(SlotMap other) {
        return Arrays.equals(owners, other.owners) && failed.equals(other.failed);
    }

    /** True when both maps have the same shards with the same replicas, in whatever order. */
    public boolean sameShards(SlotMap other) {
        return shardSet(shards).equals(shardSet(other.shards));
    }

    /** This map with another epoch. */
    public SlotMap withEpoch(long newEpoch) {
        return newEpoch == epoch ? this : new SlotMap(owners, shards, failed, newEpoch);
    }

    /**
     * Per master, its replicas, its readable ones and their lags: a replica done loading, or one whose lag
     * changed, makes a new map that reads from replicas take up.
     */
    private static Map<ClusterNode, List<Object>> shardSet(List<Shard> shards) {
        Map<ClusterNode, List<Object>> byMaster = new HashMap<>();
        for (Shard shard : shards) {
            byMaster.put(shard.master(), List.of(new HashSet<>(shard.replicas()),
                    new HashSet<>(shard.readableReplicas()), shard.replicaLag()));
        }
        return byMaster;
    }

    @Override
    public String toString() {
        return "SlotMap{epoch=" + epoch + ", masters=" + masters + ", coveredSlots=" + coveredSlots + "}";
    }
}
