package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.OwedReply;
import io.rcproxy.proxy.reply.Replies;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * CONFIG SET on every node, as atomically as a cluster allows: the first master is asked alone, and when it
 * refuses (an unknown parameter, a bad value: what every node of one version would refuse alike) its
 * error is the reply and no node has changed. When it accepts, every other master and replica is sent the
 * same bytes ({@link NodeBroadcast}); one of them failing after that is reported with its node and the
 * number of nodes that applied the change, which the client can repeat or undo.
 *
 * <p>Thread: the client's event loop. Ownership: the probe owns a retained duplicate of the client's frame
 * as any command owns its frame; {@link #rest} holds a second one until the rest of the nodes are sent
 * theirs, then releases it, on every path.
 */
final class ConfigSet extends ClusterCommand {

    private final OwedReply parent;
    private final ByteBufAllocator alloc;
    private final List<ClusterNode> others;
    private final PartRouter router;
    private final int affinity;
    private ByteBuf rest;

    private ConfigSet(ByteBuf frame, OwedReply parent, ByteBufAllocator alloc, List<ClusterNode> others,
                      PartRouter router, int affinity) {
        // The probe owns one duplicate of the frame; the rest keeps another for the later broadcast.
        super(frame.retainedDuplicate(), ANY_SLOT, 0);
        this.parent = parent;
        this.alloc = alloc;
        this.others = others;
        this.router = router;
        this.affinity = affinity;
        this.rest = frame.retainedDuplicate();
    }

    /**
     * Parameters CONFIG SET must not change through the proxy: they describe the proxy itself (CONFIG GET
     * answers the proxy's own port, bind and maxclients), or changing them on every node at once would cut
     * the proxy off from its nodes or break the cluster (its password, the addresses nodes announce).
     */
    private static final Set<String> REFUSED = Set.of("port", "tls-port", "bind", "maxclients", "requirepass",
            "masterauth", "masteruser", "cluster-announce-ip", "cluster-announce-port", "cluster-announce-bus-port",
            "cluster-announce-tls-port", "cluster-announce-hostname", "cluster-port", "replica-announce-ip",
            "replica-announce-port", "slave-announce-ip", "slave-announce-port");

    /** The error for a CONFIG SET naming a parameter of {@link #REFUSED}, or null when none does. */
    static String refusal(RedisRequest request) {
        for (int i = 2; i < request.argCount(); i += 2) {
            String parameter = request.argString(i).toLowerCase(Locale.ROOT);
            if (REFUSED.contains(parameter)) {
                return "ERR CONFIG SET '" + parameter + "' is refused by the proxy: it is the proxy's own, or "
                        + "would cut the proxy off from the cluster; set it on the nodes themselves";
            }
        }
        return null;
    }

    /** {@code nodes}: every node, the first master first. {@code frame} is not released here. */
    static void start(ByteBuf frame, List<ClusterNode> nodes, OwedReply parent, PartRouter router, int affinity,
                      ByteBufAllocator alloc) {
        ConfigSet probe = new ConfigSet(frame, parent, alloc, nodes.subList(1, nodes.size()), router, affinity);
        probe.affinity(affinity);
        router.sendTo(nodes.get(0), probe);
    }

    @Override
    protected void onReply(ByteBuf reply) {
        ByteBuf frame = takeRest();
        try {
            if (parent.isAbandoned()) {
                reply.release();
            } else if (ReplyFrames.isError(reply) || others.isEmpty()) {
                parent.complete(reply); // refused by the first master: no node changed
            } else {
                reply.release();
                NodeBroadcast.start(frame, others, "CONFIG SET", 1, parent, router, affinity, alloc);
            }
        } finally {
            frame.release();
        }
    }

    @Override
    protected void onError(String message) {
        takeRest().release();
        parent.complete(Replies.error(alloc, message));
    }

    private ByteBuf takeRest() {
        ByteBuf frame = rest;
        rest = null;
        return frame;
    }
}
