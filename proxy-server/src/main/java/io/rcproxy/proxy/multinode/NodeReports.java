package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.command.Merge;
import io.rcproxy.proxy.reply.OwedReply;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.Replies;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Introspection asked of every master and answered as one server: ROLE, LASTSAVE, SLOWLOG GET, LATENCY
 * LATEST/HISTORY/HISTOGRAM, MEMORY STATS, and the doctors' texts. The merges that need more than the
 * replies (the node each came from, the count asked for) live here; the shapes are Redis's, and
 * {@link IntrospectionMerges} says what each merge does with them.
 *
 * <p>Thread: the client's event loop. Ownership as for {@link MasterBroadcast}.
 */
final class NodeReports extends SplitRequest {

    private static final Set<Merge> MERGES = EnumSet.of(Merge.ROLE, Merge.MIN, Merge.SLOWLOG, Merge.LATENCY_LATEST,
            Merge.LATENCY_HISTORY, Merge.LATENCY_HISTOGRAM, Merge.MEMORY_STATS, Merge.NODE_TEXT);

    private final Merge merge;
    private final List<ClusterNode> nodes;
    /** SLOWLOG GET's count: entries kept after the merge, -1 for all. */
    private final long limit;
    /** The client's: the parts come in RESP2, the merged reply goes out in this. */
    private final Protocol protocol;

    private NodeReports(OwedReply parent, ByteBufAllocator alloc, Merge merge, List<ClusterNode> nodes, long limit,
                        Protocol protocol) {
        super(parent, alloc, nodes.size());
        this.merge = merge;
        this.nodes = nodes;
        this.limit = limit;
        this.protocol = protocol;
    }

    static boolean handles(Merge merge) {
        return MERGES.contains(merge);
    }

    static void start(ByteBuf frame, List<ClusterNode> nodes, Merge merge, long limit, Protocol protocol,
                      OwedReply parent, PartRouter router, int affinity, ByteBufAllocator alloc) {
        MasterBroadcast.send(new NodeReports(parent, alloc, merge, nodes, limit, protocol), frame, nodes, router,
                affinity);
    }

    @Override
    ByteBuf merge(ByteBuf[] replies) {
        ByteBuf error = takeFirstError(replies);
        if (error != null) {
            return error;
        }
        if (merge == Merge.NODE_TEXT) {
            // Redis's doctors, graphs and malloc stats are verbatim strings in RESP3.
            return Replies.verbatim(alloc, protocol, IntrospectionMerges.nodeTexts(texts(replies), names()));
        }
        List<RespValue> values = new ArrayList<>(replies.length);
        for (ByteBuf reply : replies) {
            values.add(RespValues.parse(reply));
        }
        RespValue merged = switch (merge) {
            case ROLE -> IntrospectionMerges.role(values);
            case MIN -> IntrospectionMerges.min(values);
            case SLOWLOG -> IntrospectionMerges.slowlog(values, names(), limit);
            case LATENCY_LATEST -> IntrospectionMerges.latencyLatest(values);
            case LATENCY_HISTORY -> IntrospectionMerges.latencyHistory(values);
            case LATENCY_HISTOGRAM, MEMORY_STATS -> IntrospectionMerges.pairsSummed(values);
            default -> throw new IllegalStateException(merge + " is not a node report");
        };
        if (protocol.resp3() && (merge == Merge.LATENCY_HISTOGRAM || merge == Merge.MEMORY_STATS)) {
            // Key/value lists all the way down are maps in RESP3, and MEMORY STATS' ratios doubles, as Redis sends.
            return RespValues.encodeAsMaps(alloc, merged, merge == Merge.MEMORY_STATS);
        }
        return RespValues.encode(alloc, merged);
    }

    private List<String> names() {
        List<String> names = new ArrayList<>(nodes.size());
        for (ClusterNode node : nodes) {
            names.add(node.address().host() + ":" + node.address().port());
        }
        return names;
    }

    private static List<String> texts(ByteBuf[] replies) {
        List<String> texts = new ArrayList<>(replies.length);
        for (ByteBuf reply : replies) {
            texts.add(RespValues.text(RespValues.parse(reply)));
        }
        return texts;
    }
}
