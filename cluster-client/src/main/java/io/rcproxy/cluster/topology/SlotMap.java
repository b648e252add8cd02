package io.rcproxy.cluster.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable snapshot of the cluster: which master owns each of the 16384 slots, and the shards.
 * Readers on any thread call {@link #owner(int)} without locking; a change builds a new snapshot.
 */
public final class SlotMap {

    public static final int SLOT_COUNT = 16384;

    private static final SlotMap EMPTY = new SlotMap(new ClusterNode[SLOT_COUNT], List.of(), 0);

    private final ClusterNode[] owners;
    private final List<Shard> shards;
    private final List<ClusterNode> masters;
    private final long epoch;
    private final int coveredSlots;

    private SlotMap(ClusterNode[] owners, List<Shard> shards, long epoch) {
        this.owners = owners;
        this.shards = List.copyOf(shards);
        this.epoch = epoch;
        Set<ClusterNode> masterSet = new LinkedHashSet<>();
        for (Shard shard : shards) {
            masterSet.add(shard.master());
        }
        int covered = 0;
        for (ClusterNode owner : owners) {
            if (owner != null) {
                covered++;
                masterSet.add(owner);
            }
        }
        this.masters = List.copyOf(masterSet);
        this.coveredSlots = covered;
    }

    public static SlotMap empty() {
        return EMPTY;
    }

    /** Builds a snapshot; {@code owners} is copied. */
    public static SlotMap of(ClusterNode[] owners, List<Shard> shards, long epoch) {
        if (owners.length != SLOT_COUNT) {
            throw new IllegalArgumentException("owners must have " + SLOT_COUNT + " entries");
        }
        return new SlotMap(owners.clone(), shards, epoch);
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
        if (!masters.contains(node)) {
            patchedShards = new ArrayList<>(shards);
            patchedShards.add(new Shard(node, List.of()));
        }
        return new SlotMap(patched, patchedShards, epoch + 1);
    }

    /** Masters that own slots or head a shard, in a stable order. */
    public List<ClusterNode> masters() {
        return masters;
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

    /** True when both maps route every slot to the same node (epochs aside). */
    public boolean sameRouting(SlotMap other) {
        return Arrays.equals(owners, other.owners) && masters.equals(other.masters);
    }

    @Override
    public String toString() {
        return "SlotMap{epoch=" + epoch + ", masters=" + masters + ", coveredSlots=" + coveredSlots + "}";
    }
}
