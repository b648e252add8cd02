package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.resp.CommandFrame;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.OwedReply;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.Replies;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * INFO as the proxy answers it: its own sections ({@code server}, {@code clients}, {@code proxy},
 * {@code cluster}) and a {@code keyspace} summed over every master's. With no argument (or {@code all},
 * {@code default}, {@code everything}) every section; unknown sections are left out, so asking only for
 * unknown ones gives an empty bulk string, as Redis does. Only a request that includes the keyspace goes
 * to the cluster ({@code INFO keyspace} to every master).
 *
 * <p>Thread: the client's event loop. A rare command: it builds strings freely.
 */
final class InfoCommand extends SplitRequest {

    /** The proxy's version, as INFO reports it. */
    static final String PROXY_VERSION = "0.1.0";

    static final int SERVER = 1;
    static final int CLIENTS = 2;
    static final int PROXY = 4;
    static final int CLUSTER = 8;
    static final int KEYSPACE = 16;
    static final int ALL = SERVER | CLIENTS | PROXY | CLUSTER | KEYSPACE;

    private final InfoSource context;
    private final SlotMap map;
    private final int sections;
    private final Protocol protocol;

    private InfoCommand(OwedReply parent, ByteBufAllocator alloc, InfoSource context, SlotMap map,
                        int sections, int parts, Protocol protocol) {
        super(parent, alloc, parts);
        this.context = context;
        this.map = map;
        this.sections = sections;
        this.protocol = protocol;
    }

    /** The reply is a verbatim string in RESP3 (as Redis's), a bulk string in RESP2. */
    static void start(RedisRequest request, InfoSource context, OwedReply parent, PartRouter router,
                      int affinity, ByteBufAllocator alloc, Protocol protocol) {
        int sections = sections(request);
        SlotMap map = router.slotMap();
        if ((sections & KEYSPACE) == 0 || map.masters().isEmpty()) {
            parent.complete(Replies.verbatim(alloc, protocol, render(context, map, sections, null)));
            return;
        }
        InfoCommand info = new InfoCommand(parent, alloc, context, map, sections, map.masters().size(), protocol);
        ByteBuf frame = CommandFrame.encode(alloc, "INFO", "keyspace");
        try {
            MasterBroadcast.send(info, frame, map.masters(), router, affinity);
        } finally {
            frame.release();
        }
    }

    /** The section bits that {@code request}'s arguments ask for. */
    static int sections(RedisRequest request) {
        if (request.argCount() == 1) {
            return ALL;
        }
        int bits = 0;
        for (int i = 1; i < request.argCount(); i++) {
            bits |= switch (request.argString(i).toLowerCase(Locale.ROOT)) {
                case "all", "default", "everything" -> ALL;
                case "server" -> SERVER;
                case "clients" -> CLIENTS;
                case "proxy" -> PROXY;
                case "cluster" -> CLUSTER;
                case "keyspace" -> KEYSPACE;
                default -> 0;
            };
        }
        return bits;
    }

    @Override
    ByteBuf merge(ByteBuf[] replies) {
        ByteBuf error = takeFirstError(replies);
        if (error != null) {
            return error;
        }
        Keyspace keyspace = new Keyspace();
        for (ByteBuf reply : replies) {
            byte type = reply.getByte(reply.readerIndex());
            if (type != '$' && type != '=') {
                throw new IllegalStateException("INFO reply is not a bulk or verbatim string");
            }
            // A verbatim string (RESP3) starts its text with the format, "txt:".
            int text = ReplyFrames.lineEnd(reply, reply.readerIndex() + 1) + 2 + (type == '=' ? 4 : 0);
            keyspace.add(reply.toString(text, Math.max(0, reply.writerIndex() - 2 - text), StandardCharsets.UTF_8));
        }
        return Replies.verbatim(alloc, protocol, render(context, map, sections, keyspace));
    }

    /** The INFO text for {@code sections}; {@code keyspace} is null when not asked for. */
    static String render(InfoSource context, SlotMap map, int sections, Keyspace keyspace) {
        StringBuilder out = new StringBuilder();
        long uptimeSeconds = ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
        if ((sections & SERVER) != 0) {
            section(out, "Server");
            field(out, "redis_version", "7.0.15");
            field(out, "redis_mode", "standalone");
            field(out, "proxy_version", PROXY_VERSION);
            field(out, "process_id", ProcessHandle.current().pid());
            field(out, "tcp_port", context.config().port());
            field(out, "uptime_in_seconds", uptimeSeconds);
            field(out, "uptime_in_days", uptimeSeconds / 86_400);
        }
        if ((sections & CLIENTS) != 0) {
            section(out, "Clients");
            field(out, "connected_clients", context.connectedClientCount());
            field(out, "maxclients", context.config().maxClients());
        }
        if ((sections & PROXY) != 0) {
            section(out, "Proxy");
            field(out, "proxy_version", PROXY_VERSION);
            field(out, "uptime_in_seconds", uptimeSeconds);
            field(out, "event_loops", context.client().routers().size());
            field(out, "connected_clients", context.connectedClientCount());
            field(out, "connections_per_node", context.config().connectionsPerNode());
            field(out, "command_timeout_ms", context.config().commandTimeout().toMillis());
        }
        if ((sections & CLUSTER) != 0) {
            section(out, "Cluster");
            // The proxy shows clients one standalone server; the cluster behind it is described below.
            field(out, "cluster_enabled", 0);
            field(out, "cluster_state", map.coversAllSlots() ? "ok" : "fail");
            field(out, "cluster_masters", map.masters().size());
            field(out, "cluster_slots_covered", map.coveredSlots());
            field(out, "cluster_slot_map_epoch", map.epoch());
        }
        if (keyspace != null) {
            if (!out.isEmpty()) {
                out.append("\r\n");
            }
            out.append(keyspace.render());
        }
        return out.toString();
    }

    private static void section(StringBuilder out, String name) {
        if (!out.isEmpty()) {
            out.append("\r\n");
        }
        out.append("# ").append(name).append("\r\n");
    }

    private static void field(StringBuilder out, String name, Object value) {
        out.append(name).append(':').append(value).append("\r\n");
    }
}
