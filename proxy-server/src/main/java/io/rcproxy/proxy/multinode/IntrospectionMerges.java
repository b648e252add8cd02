package io.rcproxy.proxy.multinode;

import io.rcproxy.cluster.resp.RespValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the masters' introspection replies become one, in Redis's reply shapes:
 * <ul>
 * <li>ROLE: a master, the masters' replication offsets summed, no replicas (clients stay on the proxy);
 * <li>LASTSAVE: the oldest master's (a save of the whole data set is as old as its oldest part);
 * <li>SLOWLOG GET: every master's entries, newest first (by time, then id), cut to the count asked for
 *     (10 by default); the client-name field names the node the entry comes from;
 * <li>LATENCY LATEST: per event, the newest sample and the highest maximum, newest first;
 * <li>LATENCY HISTORY: every master's samples in time order, as Redis lists them;
 * <li>LATENCY HISTOGRAM, MEMORY STATS: key/value lists with integers summed key by key (nested lists
 *     alike); MEMORY STATS' percentages and bytes per key are recomputed from the sums, its other ratios
 *     are the highest master's;
 * <li>the doctors' texts (LATENCY DOCTOR/GRAPH, MEMORY DOCTOR/MALLOC-STATS): each master's, headed by its
 *     address.
 * </ul>
 *
 * <p>Stateless; runs on the client's event loop.
 */
final class IntrospectionMerges {

    private IntrospectionMerges() {
    }

    static RespValue role(List<RespValue> roles) {
        long offset = 0;
        for (RespValue role : roles) {
            offset += RespValues.integer(RespValues.array(role).get(1));
        }
        return RespValue.ArrayReply.of(RespValue.BulkString.of("master"), new RespValue.IntegerReply(offset),
                RespValue.ArrayReply.of());
    }

    static RespValue min(List<RespValue> values) {
        long min = Long.MAX_VALUE;
        for (RespValue value : values) {
            min = Math.min(min, RespValues.integer(value));
        }
        return new RespValue.IntegerReply(min);
    }

    static RespValue slowlog(List<RespValue> logs, List<String> nodes, long limit) {
        List<List<RespValue>> entries = new ArrayList<>();
        for (int n = 0; n < logs.size(); n++) {
            for (RespValue entry : RespValues.array(logs.get(n))) {
                List<RespValue> fields = new ArrayList<>(RespValues.array(entry));
                if (fields.size() >= 6) {
                    fields.set(5, RespValue.BulkString.of(nodes.get(n)));
                }
                entries.add(fields);
            }
        }
        entries.sort(Comparator.<List<RespValue>>comparingLong(e -> RespValues.integer(e.get(1)))
                .thenComparingLong(e -> RespValues.integer(e.get(0))).reversed());
        int keep = limit < 0 ? entries.size() : (int) Math.min(limit, entries.size());
        List<RespValue> out = new ArrayList<>(keep);
        for (List<RespValue> entry : entries.subList(0, keep)) {
            out.add(RespValues.arrayOf(entry));
        }
        return RespValues.arrayOf(out);
    }

    static RespValue latencyLatest(List<RespValue> replies) {
        Map<String, long[]> byEvent = new LinkedHashMap<>(); // time, latest, max
        for (RespValue reply : replies) {
            for (RespValue entry : RespValues.array(reply)) {
                List<RespValue> f = RespValues.array(entry);
                long time = RespValues.integer(f.get(1));
                long latest = RespValues.integer(f.get(2));
                long max = RespValues.integer(f.get(3));
                long[] merged = byEvent.computeIfAbsent(RespValues.text(f.get(0)), k -> new long[] {-1, 0, 0});
                if (time > merged[0]) {
                    merged[0] = time;
                    merged[1] = latest;
                }
                merged[2] = Math.max(merged[2], max);
            }
        }
        List<Map.Entry<String, long[]>> events = new ArrayList<>(byEvent.entrySet());
        events.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]).reversed());
        List<RespValue> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : events) {
            long[] v = e.getValue();
            out.add(RespValue.ArrayReply.of(RespValue.BulkString.of(e.getKey()), new RespValue.IntegerReply(v[0]),
                    new RespValue.IntegerReply(v[1]), new RespValue.IntegerReply(v[2])));
        }
        return RespValues.arrayOf(out);
    }

    static RespValue latencyHistory(List<RespValue> replies) {
        List<RespValue> samples = new ArrayList<>();
        for (RespValue reply : replies) {
            samples.addAll(RespValues.array(reply));
        }
        samples.sort(Comparator.comparingLong(s -> RespValues.integer(RespValues.array(s).get(0))));
        return RespValues.arrayOf(samples);
    }

    /** Key/value lists merged key by key: integers summed, nested lists merged alike, other values below. */
    static RespValue pairsSummed(List<RespValue> replies) {
        // Keys are strings, or integers (a histogram's buckets); values compare by content either way.
        Map<RespValue, List<RespValue>> byKey = new LinkedHashMap<>();
        for (RespValue reply : replies) {
            List<RespValue> pairs = RespValues.array(reply);
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                byKey.computeIfAbsent(pairs.get(i), k -> new ArrayList<>()).add(pairs.get(i + 1));
            }
        }
        Map<RespValue, RespValue> merged = new LinkedHashMap<>();
        for (Map.Entry<RespValue, List<RespValue>> key : byKey.entrySet()) {
            merged.put(key.getKey(), combine(key.getValue()));
        }
        recompute(merged);
        List<RespValue> out = new ArrayList<>(2 * merged.size());
        for (Map.Entry<RespValue, RespValue> pair : merged.entrySet()) {
            out.add(pair.getKey());
            out.add(pair.getValue());
        }
        return RespValues.arrayOf(out);
    }

    private static RespValue combine(List<RespValue> values) {
        RespValue first = values.get(0);
        if (first instanceof RespValue.IntegerReply) {
            long sum = 0;
            for (RespValue value : values) {
                sum += RespValues.integer(value);
            }
            return new RespValue.IntegerReply(sum);
        }
        if (first instanceof RespValue.ArrayReply) {
            return pairsSummed(values);
        }
        BigDecimal max = null;
        for (RespValue value : values) {
            try {
                BigDecimal n = new BigDecimal(RespValues.text(value));
                max = max == null ? n : max.max(n);
            } catch (NumberFormatException | IllegalStateException notANumber) {
                return first;
            }
        }
        return RespValue.BulkString.of(max.toPlainString());
    }

    /** MEMORY STATS' derived fields, from the summed ones (as Redis computes them). */
    private static void recompute(Map<RespValue, RespValue> stats) {
        Long total = number(stats, "total.allocated");
        Long startup = number(stats, "startup.allocated");
        Long peak = number(stats, "peak.allocated");
        Long dataset = number(stats, "dataset.bytes");
        Long keys = number(stats, "keys.count");
        if (total == null || startup == null) {
            return;
        }
        long net = total - startup;
        replace(stats, "dataset.percentage", dataset == null ? null : decimal(net <= 0 ? 0 : dataset * 100.0 / net));
        replace(stats, "peak.percentage", peak == null ? null : decimal(peak == 0 ? 0 : total * 100.0 / peak));
        replace(stats, "keys.bytes-per-key",
                keys == null ? null : new RespValue.IntegerReply(keys == 0 ? 0 : net / keys));
    }

    private static void replace(Map<RespValue, RespValue> stats, String key, RespValue value) {
        RespValue name = RespValue.BulkString.of(key);
        if (value != null && stats.containsKey(name)) {
            stats.put(name, value);
        }
    }

    private static Long number(Map<RespValue, RespValue> stats, String key) {
        return stats.get(RespValue.BulkString.of(key)) instanceof RespValue.IntegerReply n ? n.value() : null;
    }

    private static RespValue decimal(double value) {
        return RespValue.BulkString.of(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
    }

    static String nodeTexts(List<String> texts, List<String> nodes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            if (i > 0) {
                out.append('\n');
            }
            out.append("# ").append(nodes.get(i)).append('\n').append(texts.get(i));
            if (!texts.get(i).endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }
}
