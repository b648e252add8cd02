package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.internal.resp.RespValueParser;
import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.proxy.reply.OwedReply;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.Replies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CONFIG GET asked of every master and answered as one server would: each parameter once, in the first
 * master's order (then any only others have). Where the masters disagree, the value most of them hold wins,
 * ties going to the master first in slot order; the masters agree on everything CONFIG SET set through
 * the proxy. Three parameters describe the proxy rather than the nodes and are the proxy's own:
 * {@code port}, {@code bind} and {@code maxclients}.
 *
 * <p>Thread: the client's event loop. A rare command: it parses into values and builds strings freely.
 */
final class ConfigGet extends SplitRequest {

    private final Map<String, String> proxyOwn;
    /** The client's protocol: a flat array in RESP2, a map in RESP3 (the parts always travel in RESP2). */
    private final Protocol protocol;

    private ConfigGet(OwedReply parent, ByteBufAllocator alloc, int parts, Map<String, String> proxyOwn,
                      Protocol protocol) {
        super(parent, alloc, parts);
        this.proxyOwn = proxyOwn;
        this.protocol = protocol;
    }

    static SplitRequest of(OwedReply parent, ByteBufAllocator alloc, int parts, InfoSource context,
                           Protocol protocol) {
        return new ConfigGet(parent, alloc, parts, Map.of(
                "port", Integer.toString(context.config().port()),
                "bind", context.config().bind(),
                "maxclients", Integer.toString(context.config().maxClients())), protocol);
    }

    @Override
    ByteBuf merge(ByteBuf[] replies) {
        ByteBuf error = takeFirstError(replies);
        if (error != null) {
            return error;
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (ByteBuf reply : replies) {
            if (!(RespValueParser.parse(reply) instanceof RespValue.ArrayReply pairs) || pairs.size() % 2 != 0) {
                throw new IllegalStateException("CONFIG GET reply is not a list of pairs");
            }
            for (int i = 0; i < pairs.size(); i += 2) {
                values.computeIfAbsent(text(pairs.get(i)), k -> new ArrayList<>()).add(text(pairs.get(i + 1)));
            }
        }
        ByteBuf out = alloc.buffer(64 * values.size() + 16);
        Replies.mapHeader(out, protocol, values.size());
        for (Map.Entry<String, List<String>> parameter : values.entrySet()) {
            Replies.appendBulk(out, parameter.getKey());
            String own = proxyOwn.get(parameter.getKey());
            Replies.appendBulk(out, own != null ? own : mostCommon(parameter.getValue()));
        }
        return out;
    }

    /** The value held most often; among equals, the one seen first. */
    static String mostCommon(List<String> values) {
        Map<String, Integer> counts = new HashMap<>();
        for (String value : values) {
            counts.merge(value, 1, Integer::sum);
        }
        String best = values.get(0);
        int bestCount = 0;
        for (String value : values) {
            int count = counts.get(value);
            if (count > bestCount) {
                best = value;
                bestCount = count;
            }
        }
        return best;
    }

    private static String text(RespValue value) {
        if (value instanceof RespValue.BulkString bulk && !bulk.isNull()) {
            return bulk.asString();
        }
        throw new IllegalStateException("CONFIG GET reply holds a non-string");
    }
}
