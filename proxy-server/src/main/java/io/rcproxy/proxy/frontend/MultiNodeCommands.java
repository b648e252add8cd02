package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.dispatch.LoopRouter;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.Routing;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.PendingReply;
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
 * ({@link Routing#ALL_MASTERS}: KEYS, SCAN, DBSIZE, RANDOMKEY, FLUSHALL, FLUSHDB, SCRIPT and FUNCTION
 * administration, INFO).
 *
 * <p>Each call gets the client's reply entry, which it completes exactly once, now or when the parts are
 * back. Thread: the client's event loop. Ownership: the request is only read (parts that forward its bytes
 * hold duplicates of their own); the caller releases it.
 */
final class MultiNodeCommands {

    private static final Logger log = LoggerFactory.getLogger(MultiNodeCommands.class);

    private static final Comparator<ClusterNode> BY_ADDRESS = Comparator
            .comparing((ClusterNode node) -> node.address().host())
            .thenComparingInt(node -> node.address().port());

    private final FrontendContext context;
    private final LoopRouter router;
    private final int affinity;
    private final int maxRedirects;
    /** Masters of {@link #orderedFor} sorted by address: the numbering SCAN cursors use. */
    private SlotMap orderedFor;
    private List<ClusterNode> ordered = List.of();

    MultiNodeCommands(FrontendContext context, LoopRouter router, int affinity, int maxRedirects) {
        this.context = context;
        this.router = router;
        this.affinity = affinity;
        this.maxRedirects = maxRedirects;
    }

    /** Starts {@code request}; {@code entry} gets its reply. */
    void start(CommandSpec spec, RedisRequest request, PendingReply entry, ByteBufAllocator alloc) {
        try {
            begin(spec, request, entry, alloc);
        } catch (RuntimeException bug) {
            // Parts already sent complete a finished entry harmlessly; the client is not left waiting.
            log.warn("failed to start {}", request, bug);
            entry.fail("ERR proxy error while running '" + spec.name().replace('|', ' ') + "'");
        }
    }

    private void begin(CommandSpec spec, RedisRequest request, PendingReply entry, ByteBufAllocator alloc) {
        if (spec.routing() == Routing.FAN_OUT) {
            KeyFanOut.start(spec, request, entry, router, affinity, maxRedirects, alloc);
            return;
        }
        if (!spec.acceptsArgCount(request.argCount())) {
            entry.complete(Replies.error(alloc, LocalCommands.wrongArity(spec)));
            return;
        }
        if (spec.name().equals("info")) {
            // Answers without masters too: the proxy's own sections say what is wrong.
            InfoCommand.start(request, context, entry, router, affinity, alloc);
            return;
        }
        SlotMap map = router.topology().slotMap();
        List<ClusterNode> masters = map.masters();
        if (masters.isEmpty()) {
            router.topology().requestRefresh();
            entry.complete(Replies.error(alloc, map.isLoaded() ? "CLUSTERDOWN The cluster is down"
                    : LoopRouter.NOT_LOADED));
            return;
        }
        MasterBroadcast.Merge merge;
        switch (spec.name()) {
            case "scan" -> {
                List<ClusterNode> scanOrder = scanOrder(map);
                if (scanOrder.size() > ScanCursor.MAX_MASTERS) {
                    entry.complete(Replies.error(alloc, "ERR SCAN supports at most "
                            + ScanCursor.MAX_MASTERS + " masters"));
                } else {
                    ClusterScan.start(request, scanOrder, entry, router, affinity, alloc);
                }
                return;
            }
            case "randomkey" -> {
                ClusterNode one = masters.get(ThreadLocalRandom.current().nextInt(masters.size()));
                MasterBroadcast.start(request.frame(), List.of(one), MasterBroadcast.Merge.FIRST, entry, router,
                        affinity, alloc);
                return;
            }
            case "keys" -> merge = MasterBroadcast.Merge.CONCAT;
            case "dbsize" -> merge = MasterBroadcast.Merge.SUM;
            case "flushall", "flushdb", "script|flush" -> merge = MasterBroadcast.Merge.ALL_OK;
            case "script|load" -> merge = MasterBroadcast.Merge.SAME;
            case "script|exists" -> merge = MasterBroadcast.Merge.AND;
            case "script|kill", "function|kill" -> merge = MasterBroadcast.Merge.ANY_OK;
            case "function|load", "function|delete", "function|flush", "function|restore" ->
                    merge = MasterBroadcast.Merge.FIRST;
            default -> {
                // PUBSUB introspection waits for the pub/sub work (issue 4), which decides its semantics.
                entry.complete(Replies.error(alloc, LocalCommands.unsupported(spec)));
                return;
            }
        }
        MasterBroadcast.start(request.frame(), masters, merge, entry, router, affinity, alloc);
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
