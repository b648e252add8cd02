package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.reply.OwedReply;
import io.rcproxy.proxy.reply.Replies;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A command sent as the same bytes to every node, replicas included, that each must accept (CONFIG SET
 * after its first master, CONFIG REWRITE, CONFIG RESETSTAT). All accepted: the first node's reply
 * ({@code +OK}). Otherwise the first failure, naming its node and how many nodes did apply the command,
 * since a node that accepted is not rolled back: {@code -ERR CONFIG REWRITE failed on 127.0.0.1:7003
 * (applied on 5 of 6 nodes): The server is running without a config file}.
 *
 * <p>Thread: the client's event loop. Ownership as for {@link MasterBroadcast}.
 */
final class NodeBroadcast extends SplitRequest {

    private final List<ClusterNode> nodes;
    private final String command;
    /** Nodes that applied the command before this broadcast began (CONFIG SET's first master). */
    private final int appliedBefore;

    private NodeBroadcast(OwedReply parent, ByteBufAllocator alloc, List<ClusterNode> nodes, String command,
                          int appliedBefore) {
        super(parent, alloc, nodes.size());
        this.nodes = nodes;
        this.command = command;
        this.appliedBefore = appliedBefore;
    }

    /** Sends {@code frame} (not released here) to each of {@code nodes}, which must not be empty. */
    static void start(ByteBuf frame, List<ClusterNode> nodes, String command, int appliedBefore, OwedReply parent,
                      PartRouter router, int affinity, ByteBufAllocator alloc) {
        NodeBroadcast broadcast = new NodeBroadcast(parent, alloc, nodes, command, appliedBefore);
        MasterBroadcast.send(broadcast, frame, nodes, router, affinity);
    }

    @Override
    ByteBuf merge(ByteBuf[] replies) {
        int failed = -1;
        int applied = appliedBefore;
        for (int i = 0; i < replies.length; i++) {
            if (!ReplyFrames.isError(replies[i])) {
                applied++;
            } else if (failed < 0) {
                failed = i;
            }
        }
        if (failed < 0) {
            return take(replies, 0);
        }
        return Replies.error(alloc, failure(command, nodes.get(failed), errorText(replies[failed]), applied,
                appliedBefore + replies.length));
    }

    /** The error text of {@code reply} without its {@code -} and, when it is the generic one, its ERR word. */
    static String errorText(ByteBuf reply) {
        int start = reply.readerIndex() + 1;
        String text = reply.toString(start, ReplyFrames.lineEnd(reply, start) - start, StandardCharsets.UTF_8);
        return text.startsWith("ERR ") ? text.substring(4) : text;
    }

    static String failure(String command, ClusterNode node, String error, int applied, int total) {
        return "ERR " + command + " failed on " + node.address().host() + ":" + node.address().port()
                + " (applied on " + applied + " of " + total + " nodes): " + error;
    }
}
