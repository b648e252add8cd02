/**
 * Keeping the slot map fresh: {@link io.rcproxy.cluster.internal.topology.ClusterTopology} queries the
 * nodes and publishes each new {@link io.rcproxy.cluster.topology.SlotMap};
 * {@link io.rcproxy.cluster.internal.topology.TopologyParser} reads CLUSTER SHARDS and CLUSTER SLOTS replies.
 * The snapshot types themselves are public, in {@code io.rcproxy.cluster.topology}.
 */
package io.rcproxy.cluster.internal.topology;
