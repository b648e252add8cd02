package io.rcproxy.cluster.internal.topology;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.internal.resp.RespValueParser;
import io.rcproxy.cluster.resp.CommandFrame;
import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * One topology query: asks each candidate node in turn for CLUSTER SHARDS, falling back to CLUSTER SLOTS
 * on servers that lack it, until one answers with a map that serves slots. What to do with the result is
 * the {@link ClusterTopology}'s business.
 *
 * <p>Thread: the control loop, which also runs every reply callback. Each query's reply frame is parsed and
 * released by its {@link Query} command.
 */
final class TopologyFetch {

    /** Receives a fetch's outcome: a map, or null and why no candidate gave one. */
    interface Outcome {
        void done(SlotMap parsed, String failure);
    }

    private final ClusterTopology.NodeSender sender;
    private final LongSupplier nextEpoch;
    private final List<ClusterNode> candidates;
    private final Outcome outcome;
    private final boolean tls;

    private TopologyFetch(ClusterTopology.NodeSender sender, LongSupplier nextEpoch, List<ClusterNode> candidates,
                          boolean tls, Outcome outcome) {
        this.tls = tls;
        this.sender = sender;
        this.nextEpoch = nextEpoch;
        this.candidates = candidates;
        this.outcome = outcome;
    }

    /** Starts a fetch over {@code candidates}; a parsed map gets the epoch {@code nextEpoch} gives then. */
    static void start(ClusterTopology.NodeSender sender, LongSupplier nextEpoch, List<ClusterNode> candidates,
                      boolean tls, Outcome outcome) {
        new TopologyFetch(sender, nextEpoch, candidates, tls, outcome).ask(0, null);
    }

    private void ask(int index, String lastError) {
        if (index >= candidates.size()) {
            outcome.done(null, "no node answered the topology query" + (lastError == null ? "" : ": " + lastError));
            return;
        }
        ClusterNode node = candidates.get(index);
        query(node, "SHARDS", (reply, error) -> {
            if (reply instanceof RespValue.ArrayReply) {
                accept(node, reply, true, index);
            } else if (reply instanceof RespValue.ErrorReply) {
                // Redis before 7.0 has no CLUSTER SHARDS: ask the same node for CLUSTER SLOTS.
                query(node, "SLOTS", (slots, slotsError) -> {
                    if (slots instanceof RespValue.ArrayReply) {
                        accept(node, slots, false, index);
                    } else {
                        ask(index + 1, node + ": " + describe(slots, slotsError));
                    }
                });
            } else {
                ask(index + 1, node + ": " + describe(reply, error));
            }
        });
    }

    private void accept(ClusterNode node, RespValue reply, boolean shards, int index) {
        SlotMap parsed;
        try {
            long epoch = nextEpoch.getAsLong();
            parsed = shards ? TopologyParser.parseShards(reply, node.address(), epoch, tls)
                    : TopologyParser.parseSlots(reply, node.address(), epoch);
        } catch (RuntimeException e) {
            ask(index + 1, node + ": unparsable topology: " + e.getMessage());
            return;
        }
        if (parsed.coveredSlots() == 0) {
            ask(index + 1, node + " serves no slots");
            return;
        }
        outcome.done(parsed, null);
    }

    private void query(ClusterNode node, String subcommand, BiConsumer<RespValue, String> callback) {
        ByteBuf frame = CommandFrame.encode(ByteBufAllocator.DEFAULT, "CLUSTER", subcommand);
        sender.sendTo(node, new Query(frame, callback));
    }

    private static String describe(RespValue reply, String error) {
        if (error != null) {
            return error;
        }
        return reply instanceof RespValue.ErrorReply e ? e.message() : String.valueOf(reply);
    }

    /** A CLUSTER SHARDS/SLOTS query; its reply is parsed off the hot path, on the control loop. */
    private static final class Query extends ClusterCommand {
        private final BiConsumer<RespValue, String> callback;

        Query(ByteBuf frame, BiConsumer<RespValue, String> callback) {
            super(frame, ANY_SLOT, 0);
            this.callback = callback;
        }

        @Override
        protected void onReply(ByteBuf reply) {
            RespValue value;
            try {
                value = RespValueParser.parse(reply);
            } catch (RuntimeException e) {
                callback.accept(null, "unparsable reply: " + e.getMessage());
                return;
            } finally {
                reply.release();
            }
            callback.accept(value, null);
        }

        @Override
        protected void onError(String message) {
            callback.accept(null, message);
        }
    }
}
