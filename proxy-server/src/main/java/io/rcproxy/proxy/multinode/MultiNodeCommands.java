package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.internal.ClientErrors;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.Shard;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.Merge;
import io.rcproxy.proxy.command.Routing;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.OwedReply;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.RedisErrors;
import io.rcproxy.proxy.reply.Replies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's entry to the commands answered from several nodes: multi-key commands whose keys span
 * slots ({@link Routing#FAN_OUT}, see {@link KeyFanOut}) and commands for every master
 * ({@link Routing#ALL_MASTERS}) or every node ({@link Routing#ALL_NODES}: CONFIG SET, REWRITE, RESETSTAT,
 * see {@link ConfigSet} and {@link NodeBroadcast}). What happens is the spec's {@link Merge}, read from the
 * command table: INFO, SCAN, CONFIG GET/SET and the introspection merges ({@link NodeReports}) build their
 * own parts; every other merge sends the client's bytes to every master ({@link MasterBroadcast}), and
 * WAIT ({@link WaitReplicas}) goes to the masters the client wrote to.
 *
 * <p>Each call gets the client's reply entry, which it completes exactly once, now or when the parts are
 * back. Thread: the client's event loop. Ownership: the request is only read (parts that forward its bytes
 * hold duplicates of their own); the caller releases it.
 */
public final class MultiNodeCommands {

    private static final Logger log = LoggerFactory.getLogger(MultiNodeCommands.class);

    private static final Comparator<ClusterNode> BY_ADDRESS = Comparator
            .comparing((ClusterNode node) -> node.address().host())
            .thenComparingInt(node -> node.address().port());

    private final InfoSource context;
    private final PartRouter router;
    /** The same router with every part marked RESP3: a RESP3 client's parts come back in its protocol. */
    private final PartRouter resp3Router;
    private final int affinity;
    private final int maxRedirects;
    /** Masters of {@link #orderedFor} sorted by address: the numbering SCAN cursors use. */
    private SlotMap orderedFor;
    private List<ClusterNode> ordered = List.of();

    public MultiNodeCommands(InfoSource context, LoopRouter router, int affinity, int maxRedirects) {
        this(context, PartRouter.of(router), affinity, maxRedirects);
    }

    MultiNodeCommands(InfoSource context, PartRouter router, int affinity, int maxRedirects) {
        this.context = context;
        this.router = router;
        this.resp3Router = PartRouter.resp3(router);
        this.affinity = affinity;
        this.maxRedirects = maxRedirects;
    }

    /**
     * Starts {@code request}, whose spec is FAN_OUT, ALL_MASTERS or ALL_NODES; {@code entry} gets its reply, in
     * {@code protocol}: the parts travel in it, so the replies merged are already in the client's protocol.
     */
    public void start(CommandSpec spec, RedisRequest request, OwedReply entry, ByteBufAllocator alloc,
                      Protocol protocol) {
        try {
            begin(spec, request, entry, alloc, protocol.resp3() ? resp3Router : router, protocol);
        } catch (RuntimeException bug) {
            // Parts already sent complete a finished entry harmlessly; the client is not left waiting.
            log.warn("failed to start {}", request, bug);
            String command = spec.name().replace('|', ' ');
            entry.complete(Replies.error(alloc, "ERR proxy error while running '" + command + "'"));
        }
    }

    private void begin(CommandSpec spec, RedisRequest request, OwedReply entry, ByteBufAllocator alloc,
                       PartRouter router, Protocol protocol) {
        if (spec.routing() == Routing.FAN_OUT) {
            KeyFanOut.start(spec, request, entry, router, affinity, maxRedirects, alloc);
            return;
        }
        if (!spec.acceptsArgCount(request.argCount())) {
            entry.complete(Replies.error(alloc, RedisErrors.wrongArity(spec)));
            return;
        }
        Merge merge = spec.merge();
        if (merge == Merge.INFO) {
            // Answers without masters too: the proxy's own sections say what is wrong.
            InfoCommand.start(request, context, entry, router, affinity, alloc, protocol);
            return;
        }
        SlotMap map = router.slotMap();
        List<ClusterNode> masters = map.masters();
        if (masters.isEmpty()) {
            noMasters(map, router, entry, alloc);
        } else if (spec.routing() == Routing.ALL_NODES) {
            allNodes(request, spec, nodes(map), entry, alloc, router);
        } else if (NodeReports.handles(merge)) {
            long limit = merge != Merge.SLOWLOG ? -1 : request.argCount() > 2 ? request.argAsLong(2, -1) : 10;
            NodeReports.start(request.frame(), masters, merge, limit, protocol, entry, this.router, affinity,
                    alloc); // parts in RESP2, parsed as such; the merge is written in the client's protocol
        } else if (merge == Merge.CONFIG_GET) {
            // Parts in RESP2 whatever the client speaks: ConfigGet reads flat pairs and writes the client's form.
            MasterBroadcast.send(ConfigGet.of(entry, alloc, masters.size(), context, protocol), request.frame(),
                    masters, this.router, affinity);
        } else if (merge == Merge.SCAN) {
            scan(request, scanOrder(map), entry, alloc, router);
        } else {
            MasterBroadcast.start(request.frame(), masters, merge, entry, router, affinity, alloc);
        }
    }

    /**
     * WAIT numreplicas timeout outside a transaction, for the writes the client sent to {@code written}
     * since its last WAIT (see {@link WaitReplicas}); {@code entry} gets the reply.
     */
    public void waitForReplicas(RedisRequest request, List<ClusterNode> written, boolean everywhere,
                                OwedReply entry, ByteBufAllocator alloc) {
        long numReplicas = request.argAsLong(1, Long.MIN_VALUE);
        long timeout = request.argAsLong(2, Long.MIN_VALUE);
        if (numReplicas == Long.MIN_VALUE) {
            entry.complete(Replies.error(alloc, "ERR value is not an integer or out of range"));
        } else if (timeout == Long.MIN_VALUE) {
            entry.complete(Replies.error(alloc, "ERR timeout is not an integer or out of range"));
        } else if (timeout < 0) {
            entry.complete(Replies.error(alloc, "ERR timeout is negative"));
        } else {
            long maxWait = Math.max(1, context.config().commandTimeout().toMillis() / 2);
            List<ClusterNode> targets = everywhere ? router.slotMap().masters() : written;
            WaitReplicas.start(numReplicas, timeout, maxWait, targets, entry, router, affinity, alloc);
        }
    }

    private void allNodes(RedisRequest request, CommandSpec spec, List<ClusterNode> nodes, OwedReply entry,
                          ByteBufAllocator alloc, PartRouter router) {
        Merge merge = spec.merge();
        if (merge == Merge.CONFIG_SET) {
            String refusal = ConfigSet.refusal(request);
            if (refusal != null) {
                entry.complete(Replies.error(alloc, refusal));
                return;
            }
            ConfigSet.start(request.frame(), nodes, ConfigSetAccepted.of(request, entry, context), router, affinity,
                    alloc);
            return;
        }
        if (merge == Merge.RESET_STATS) {
            context.resetStats();
        }
        String command = spec.name().replace('|', ' ').toUpperCase(Locale.ROOT);
        NodeBroadcast.start(request.frame(), nodes, command, 0, entry, router, affinity, alloc);
    }

    /** Every master (in the map's order), then every replica of each. */
    static List<ClusterNode> nodes(SlotMap map) {
        List<ClusterNode> nodes = new ArrayList<>(map.masters());
        for (Shard shard : map.shards()) {
            for (ClusterNode replica : shard.replicas()) {
                if (!nodes.contains(replica) && !map.failed().contains(replica)) {
                    nodes.add(replica);
                }
            }
        }
        return nodes;
    }


    /**
     * A script declaring no keys: on the master of {@code lastSlot} (a master picked by affinity when
     * negative), then the others while it touches non-local keys; {@code entry} gets its reply.
     */
    public void keylessScript(RedisRequest request, int lastSlot, OwedReply entry, ByteBufAllocator alloc,
                              Protocol protocol) {
        PartRouter router = protocol.resp3() ? resp3Router : this.router; // the reply is forwarded as is
        SlotMap map = router.slotMap();
        List<ClusterNode> masters = map.masters();
        if (masters.isEmpty()) {
            noMasters(map, router, entry, alloc);
            return;
        }
        ClusterNode first = lastSlot >= 0 ? map.owner(lastSlot) : null;
        if (first == null) {
            first = masters.get(Math.floorMod(affinity, masters.size()));
        }
        KeylessScript.start(request.frame(), first, masters, entry, router, affinity, alloc);
    }

    /**
     * Sends {@code SCRIPT LOAD <body>} of an EVAL to every master, replies dropped, ahead of the EVAL
     * itself (see {@link ScriptBodies}). The request is only read.
     */
    public void loadEverywhere(RedisRequest request, ByteBufAllocator alloc) {
        List<ClusterNode> masters = router.slotMap().masters();
        if (masters.isEmpty()) {
            return;
        }
        ByteBuf frame = alloc.buffer(RequestFrames.headerSize() + 32 + RequestFrames.argSize(request, 1));
        RequestFrames.header(frame, 3);
        RequestFrames.bulk(frame, "SCRIPT");
        RequestFrames.bulk(frame, "LOAD");
        RequestFrames.copyArg(frame, request, 1);
        try {
            for (ClusterNode master : masters) {
                // Each command owns a duplicate of the frame; it releases it when done.
                router.sendTo(master, new DroppedReply(frame.retainedDuplicate()).affinity(affinity));
            }
        } finally {
            frame.release();
        }
    }


    private void scan(RedisRequest request, List<ClusterNode> scanOrder, OwedReply entry, ByteBufAllocator alloc,
                      PartRouter router) {
        if (scanOrder.size() > ScanCursor.MAX_MASTERS) {
            entry.complete(Replies.error(alloc, "ERR SCAN supports at most " + ScanCursor.MAX_MASTERS + " masters"));
        } else {
            ClusterScan.start(request, scanOrder, entry, router, affinity, alloc);
        }
    }

    /** No master to ask: CLUSTERDOWN (or "not loaded yet"), and a refresh asked for. */
    private static void noMasters(SlotMap map, PartRouter router, OwedReply entry, ByteBufAllocator alloc) {
        router.requestRefresh();
        entry.complete(Replies.error(alloc, map.isLoaded() ? "CLUSTERDOWN The cluster is down"
                : ClientErrors.NOT_LOADED));
    }

    private List<ClusterNode> scanOrder(SlotMap map) {
        if (map != orderedFor) {
            List<ClusterNode> sorted = new ArrayList<>(map.masters());
            sorted.sort(BY_ADDRESS);
            ordered = List.copyOf(sorted);
            orderedFor = map;
        }
        return ordered;
    }
}
