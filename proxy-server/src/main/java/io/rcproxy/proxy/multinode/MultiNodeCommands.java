package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.internal.ClientErrors;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.Merge;
import io.rcproxy.proxy.command.Routing;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.OwedReply;
import io.rcproxy.proxy.reply.RedisErrors;
import io.rcproxy.proxy.reply.Replies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's entry to the commands answered from several nodes: multi-key commands whose keys span
 * slots ({@link Routing#FAN_OUT}, see {@link KeyFanOut}) and commands for every master
 * ({@link Routing#ALL_MASTERS}). What happens is the spec's {@link Merge}, read from the command table:
 * INFO, SCAN and RANDOMKEY pick their own targets; every other merge sends the client's bytes to every
 * master ({@link MasterBroadcast}).
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
        this.affinity = affinity;
        this.maxRedirects = maxRedirects;
    }

    /** Starts {@code request}, whose spec is FAN_OUT or ALL_MASTERS; {@code entry} gets its reply. */
    public void start(CommandSpec spec, RedisRequest request, OwedReply entry, ByteBufAllocator alloc) {
        try {
            begin(spec, request, entry, alloc);
        } catch (RuntimeException bug) {
            // Parts already sent complete a finished entry harmlessly; the client is not left waiting.
            log.warn("failed to start {}", request, bug);
            String command = spec.name().replace('|', ' ');
            entry.complete(Replies.error(alloc, "ERR proxy error while running '" + command + "'"));
        }
    }

    private void begin(CommandSpec spec, RedisRequest request, OwedReply entry, ByteBufAllocator alloc) {
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
            InfoCommand.start(request, context, entry, router, affinity, alloc);
            return;
        }
        SlotMap map = router.slotMap();
        List<ClusterNode> masters = map.masters();
        if (masters.isEmpty()) {
            router.requestRefresh();
            entry.complete(Replies.error(alloc, map.isLoaded() ? "CLUSTERDOWN The cluster is down"
                    : ClientErrors.NOT_LOADED));
        } else if (merge == Merge.SCAN) {
            scan(request, scanOrder(map), entry, alloc);
        } else if (merge == Merge.RANDOM) {
            ClusterNode one = masters.get(ThreadLocalRandom.current().nextInt(masters.size()));
            MasterBroadcast.start(request.frame(), List.of(one), merge, entry, router, affinity, alloc);
        } else {
            MasterBroadcast.start(request.frame(), masters, merge, entry, router, affinity, alloc);
        }
    }

    /**
     * A script declaring no keys: on the master of {@code lastSlot} (a master picked by affinity when
     * negative), then the others while it touches non-local keys; {@code entry} gets its reply.
     */
    public void keylessScript(RedisRequest request, int lastSlot, OwedReply entry, ByteBufAllocator alloc) {
        SlotMap map = router.slotMap();
        List<ClusterNode> masters = map.masters();
        if (masters.isEmpty()) {
            router.requestRefresh();
            entry.complete(Replies.error(alloc, map.isLoaded() ? "CLUSTERDOWN The cluster is down"
                    : ClientErrors.NOT_LOADED));
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

    private void scan(RedisRequest request, List<ClusterNode> scanOrder, OwedReply entry, ByteBufAllocator alloc) {
        if (scanOrder.size() > ScanCursor.MAX_MASTERS) {
            entry.complete(Replies.error(alloc, "ERR SCAN supports at most " + ScanCursor.MAX_MASTERS + " masters"));
        } else {
            ClusterScan.start(request, scanOrder, entry, router, affinity, alloc);
        }
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
