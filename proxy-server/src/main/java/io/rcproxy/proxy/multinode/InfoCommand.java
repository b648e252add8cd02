package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.resp.CommandFrame;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.OwedReply;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.Replies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * INFO as one Redis 7.0 would answer it, built from every master's INFO and the proxy's own values by the
 * per-field rules of {@code info-fields.tsv} ({@link InfoFieldRules}, {@link InfoMerge}): counters and
 * memory summed, flags and durations their maximum, the server section, clients, connection counters and
 * the replication role the proxy's own; the keyspace summed by {@link Keyspace}; and the proxy's own
 * {@code # Proxy} section. Only a request with a section the masters contribute to asks them, for just
 * those sections; a master that fails to answer is left out of the sums (the proxy section's
 * {@code info_masters_answered} says how many did), so INFO keeps answering while a node is down.
 *
 * <p>Thread: the client's event loop. A rare command: it builds strings freely.
 */
final class InfoCommand extends SplitRequest {

    private final InfoSource context;
    private final SlotMap map;
    private final InfoSections sections;
    /** The client's: a bulk string in RESP2, a verbatim string ({@code =}, {@code txt:}) in RESP3. */
    private final Protocol protocol;

    private InfoCommand(OwedReply parent, ByteBufAllocator alloc, InfoSource context, SlotMap map,
                        InfoSections sections, int parts, Protocol protocol) {
        super(parent, alloc, parts);
        this.context = context;
        this.map = map;
        this.sections = sections;
        this.protocol = protocol;
    }

    static void start(RedisRequest request, InfoSource context, OwedReply parent, PartRouter router,
                      int affinity, ByteBufAllocator alloc, Protocol protocol) {
        InfoSections sections = InfoSections.of(request);
        SlotMap map = router.slotMap();
        if (!sections.needsMasters() || map.masters().isEmpty()) {
            parent.complete(Replies.verbatim(alloc, protocol, render(context, map, sections, List.of(), -1)));
            return;
        }
        InfoCommand info = new InfoCommand(parent, alloc, context, map, sections, map.masters().size(), protocol);
        ByteBuf frame = CommandFrame.encode(alloc, sections.masterRequest());
        try {
            MasterBroadcast.send(info, frame, map.masters(), router, affinity);
        } finally {
            frame.release();
        }
    }

    @Override
    ByteBuf merge(ByteBuf[] replies) {
        List<InfoText> masters = new ArrayList<>(replies.length);
        for (ByteBuf reply : replies) {
            byte type = reply.getByte(reply.readerIndex());
            if (ReplyFrames.isError(reply) || (type != '$' && type != '=')) {
                continue; // a master that cannot answer is left out of the sums
            }
            // A verbatim string (a RESP3 client's parts) starts its text with the format, "txt:".
            int text = ReplyFrames.lineEnd(reply, reply.readerIndex() + 1) + 2 + (type == '=' ? 4 : 0);
            masters.add(InfoText.parse(reply.toString(text, Math.max(0, reply.writerIndex() - 2 - text),
                    StandardCharsets.UTF_8)));
        }
        return Replies.verbatim(alloc, protocol, render(context, map, sections, masters, masters.size()));
    }

    /** The INFO text; {@code mastersAnswered} is -1 when the masters were not asked. */
    static String render(InfoSource context, SlotMap map, InfoSections sections, List<InfoText> masters,
                         int mastersAnswered) {
        StringBuilder out = new StringBuilder();
        for (String name : sections.names()) {
            if (name.equals(InfoSections.PROXY)) {
                section(out, "Proxy", ProxyInfo.proxySection(context, map, mastersAnswered));
            } else if (name.equals("keyspace")) {
                Keyspace keyspace = new Keyspace();
                for (InfoText master : masters) {
                    keyspace.add(master.section("keyspace"));
                }
                separate(out);
                out.append(keyspace.render());
            } else {
                List<Map<String, String>> parts = new ArrayList<>(masters.size());
                for (InfoText master : masters) {
                    parts.add(master.section(name));
                }
                Map<String, String> fields = InfoMerge.merge(InfoFieldRules.RULES.section(name), parts,
                        ProxyInfo.values(name, context));
                section(out, title(name), fields);
            }
        }
        return out.toString();
    }

    /** Redis's heading for a section: {@code CPU}, and the others capitalised. */
    private static String title(String name) {
        return name.equals("cpu") ? "CPU" : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static void separate(StringBuilder out) {
        if (!out.isEmpty()) {
            out.append("\r\n");
        }
    }

    private static void section(StringBuilder out, String title, Map<String, String> fields) {
        separate(out);
        out.append("# ").append(title).append("\r\n");
        for (Map.Entry<String, String> field : fields.entrySet()) {
            out.append(field.getKey()).append(':').append(field.getValue()).append("\r\n");
        }
    }
}
