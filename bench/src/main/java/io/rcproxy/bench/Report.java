package io.rcproxy.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns results into the printed table, the throughput ratios between targets, or JSON.
 *
 * <p>A ratio is written {@code a/b} with {@code a} the target nearer the front of {@link #RATIO_ORDER}
 * (proxy, client, lettuce, single), whatever order the targets ran in, so "proxy/client 0.60x" always
 * reads as "the proxy does 60% of what the client does".
 */
final class Report {

    static final List<String> RATIO_ORDER = List.of("proxy", "client", "lettuce", "single");

    /** One throughput ratio for one operation. */
    record Ratio(Operation operation, String numerator, String denominator, double value) {
        String name() {
            return numerator + "/" + denominator;
        }
    }

    private Report() {
    }

    static List<Ratio> ratios(List<RunResult> results) {
        Map<Operation, Map<String, RunResult>> byOp = new LinkedHashMap<>();
        for (RunResult r : results) {
            byOp.computeIfAbsent(r.operation(), k -> new LinkedHashMap<>()).put(r.target(), r);
        }
        List<Ratio> ratios = new ArrayList<>();
        for (Map.Entry<Operation, Map<String, RunResult>> op : byOp.entrySet()) {
            for (int i = 0; i < RATIO_ORDER.size(); i++) {
                RunResult a = op.getValue().get(RATIO_ORDER.get(i));
                for (int j = i + 1; j < RATIO_ORDER.size() && a != null; j++) {
                    RunResult b = op.getValue().get(RATIO_ORDER.get(j));
                    if (b != null) {
                        double value = b.opsPerSecond() > 0 ? a.opsPerSecond() / b.opsPerSecond() : Double.NaN;
                        ratios.add(new Ratio(op.getKey(), a.target(), b.target(), value));
                    }
                }
            }
        }
        return ratios;
    }

    static String formatRatio(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2fx", value);
    }

    static String table(List<RunResult> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-8s %-6s %12s %9s %9s %10s %8s%n",
                "target", "op", "ops/s", "p50(us)", "p99(us)", "p99.9(us)", "errors"));
        for (RunResult r : results) {
            out.append(String.format(Locale.ROOT, "%-8s %-6s %12s %9d %9d %10d %8d%n", r.target(),
                    r.operation().label(), String.format(Locale.ROOT, "%,.0f", r.opsPerSecond()), r.p50Micros(),
                    r.p99Micros(), r.p999Micros(), r.errors()));
        }
        for (RunResult r : results) {
            if (r.errors() > 0) {
                out.append("  ").append(r.target()).append(' ').append(r.operation().label())
                        .append(" first error: ").append(r.firstError()).append('\n');
            }
        }
        List<Ratio> ratios = ratios(results);
        if (!ratios.isEmpty()) {
            out.append("\nthroughput ratios\n");
            Operation current = null;
            for (Ratio ratio : ratios) {
                if (ratio.operation() != current) {
                    if (current != null) {
                        out.append('\n');
                    }
                    current = ratio.operation();
                    out.append(String.format(Locale.ROOT, "  %-6s", current.label()));
                }
                out.append(String.format(Locale.ROOT, "  %s %s", ratio.name(), formatRatio(ratio.value())));
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String json(BenchOptions options, Map<String, String> descriptions, List<RunResult> results) {
        StringBuilder out = new StringBuilder("{\n  \"config\": {");
        out.append("\"workers\": ").append(options.workers())
                .append(", \"pipeline\": ").append(options.pipeline())
                .append(", \"connectionsPerNode\": ").append(options.connectionsPerNode())
                .append(", \"keySize\": ").append(options.keySize())
                .append(", \"valueSize\": ").append(options.valueSize())
                .append(", \"keyspace\": ").append(options.keyspace())
                .append(", \"durationMillis\": ").append(options.duration().toMillis())
                .append(", \"warmupMillis\": ").append(options.warmup().toMillis())
                .append("},\n  \"targets\": {");
        String sep = "";
        for (Map.Entry<String, String> d : descriptions.entrySet()) {
            out.append(sep).append("\n    ").append(quote(d.getKey())).append(": ").append(quote(d.getValue()));
            sep = ",";
        }
        out.append("\n  },\n  \"results\": [");
        sep = "";
        for (RunResult r : results) {
            out.append(sep).append("\n    {\"target\": ").append(quote(r.target()))
                    .append(", \"op\": ").append(quote(r.operation().label()))
                    .append(", \"opsPerSec\": ").append(String.format(Locale.ROOT, "%.1f", r.opsPerSecond()))
                    .append(", \"replies\": ").append(r.replies())
                    .append(", \"seconds\": ").append(String.format(Locale.ROOT, "%.3f", r.seconds()))
                    .append(", \"p50Us\": ").append(r.p50Micros())
                    .append(", \"p99Us\": ").append(r.p99Micros())
                    .append(", \"p999Us\": ").append(r.p999Micros())
                    .append(", \"errors\": ").append(r.errors())
                    .append(", \"firstError\": ").append(r.firstError() == null ? "null" : quote(r.firstError()))
                    .append('}');
            sep = ",";
        }
        out.append("\n  ],\n  \"ratios\": [");
        sep = "";
        for (Ratio ratio : ratios(results)) {
            out.append(sep).append("\n    {\"op\": ").append(quote(ratio.operation().label()))
                    .append(", \"ratio\": ").append(quote(ratio.name()))
                    .append(", \"value\": ")
                    .append(Double.isNaN(ratio.value()) ? "null" : String.format(Locale.ROOT, "%.4f", ratio.value()))
                    .append('}');
            sep = ",";
        }
        out.append("\n  ]\n}\n");
        return out.toString();
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
