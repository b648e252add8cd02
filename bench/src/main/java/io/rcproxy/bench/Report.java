package io.rcproxy.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns results into the printed tables, the ratio table, the TSV files the chart is drawn from, or
 * JSON. Stateless.
 *
 * <p>The ratio table divides every target's throughput by the baseline's (by default {@code client}, our
 * cluster client straight to the masters: the direct cluster) for the same operation and pipeline depth,
 * so "proxy 0.78x" reads "the proxy does 78% of what the direct cluster does".
 */
final class Report {

    /** One row of the ratio table: an operation at one depth, each target's throughput over the baseline's. */
    record RatioRow(Operation operation, int pipeline, Map<String, Double> ratios) {
    }

    private Report() {
    }

    /** Targets in the order they first appear in the results. */
    static List<String> targetsOf(List<RunResult> results) {
        Set<String> targets = new LinkedHashSet<>();
        for (RunResult r : results) {
            targets.add(r.target());
        }
        return List.copyOf(targets);
    }

    /**
     * One row per operation and depth, in result order; a ratio is NaN where the baseline has no replies,
     * and a row is left out where the baseline did not run.
     */
    static List<RatioRow> ratios(List<RunResult> results, String baseline) {
        Map<String, Map<String, RunResult>> byCase = new LinkedHashMap<>();
        for (RunResult r : results) {
            byCase.computeIfAbsent(r.operation().label() + "/" + r.pipeline(), k -> new LinkedHashMap<>())
                    .put(r.target(), r);
        }
        List<RatioRow> rows = new ArrayList<>();
        for (Map<String, RunResult> row : byCase.values()) {
            RunResult base = row.get(baseline);
            if (base == null) {
                continue;
            }
            Map<String, Double> ratios = new LinkedHashMap<>();
            for (RunResult r : row.values()) {
                ratios.put(r.target(), base.opsPerSecond() > 0 ? r.opsPerSecond() / base.opsPerSecond() : Double.NaN);
            }
            rows.add(new RatioRow(base.operation(), base.pipeline(), ratios));
        }
        return rows;
    }

    static String formatRatio(Double value) {
        return value == null || value.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.2fx", value);
    }

    static String table(List<RunResult> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-8s %-6s %8s %12s %9s %9s %10s %8s%n",
                "target", "op", "pipeline", "ops/s", "p50(us)", "p99(us)", "p99.9(us)", "errors"));
        for (RunResult r : results) {
            out.append(String.format(Locale.ROOT, "%-8s %-6s %8d %12s %9d %9d %10d %8d%n", r.target(),
                    r.operation().label(), r.pipeline(), String.format(Locale.ROOT, "%,.0f", r.opsPerSecond()),
                    r.p50Micros(), r.p99Micros(), r.p999Micros(), r.errors()));
        }
        for (RunResult r : results) {
            if (r.errors() > 0) {
                out.append("  ").append(r.target()).append(' ').append(r.operation().label())
                        .append(" pipeline ").append(r.pipeline())
                        .append(" first error: ").append(r.firstError()).append('\n');
            }
        }
        return out.toString();
    }

    static String ratioTable(List<RunResult> results, String baseline, int rounds) {
        List<RatioRow> rows = ratios(results, baseline);
        if (rows.isEmpty()) {
            return "no ratio table: the baseline target '" + baseline + "' did not run\n";
        }
        List<String> targets = targetsOf(results);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "throughput / %s (the direct cluster), median of %d round(s)%n", baseline, rounds));
        out.append(String.format(Locale.ROOT, "%-6s %8s", "op", "pipeline"));
        for (String t : targets) {
            out.append(String.format(Locale.ROOT, " %9s", t));
        }
        out.append('\n');
        for (RatioRow row : rows) {
            out.append(String.format(Locale.ROOT, "%-6s %8d", row.operation().label(), row.pipeline()));
            for (String t : targets) {
                out.append(String.format(Locale.ROOT, " %9s", formatRatio(row.ratios().get(t))));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** One line per run, tab-separated, with its ratio to the baseline (empty when there is none). */
    static String throughputTsv(List<RunResult> results, String baseline) {
        Map<String, Double> ratio = new LinkedHashMap<>();
        for (RatioRow row : ratios(results, baseline)) {
            for (Map.Entry<String, Double> e : row.ratios().entrySet()) {
                ratio.put(e.getKey() + "/" + row.operation().label() + "/" + row.pipeline(), e.getValue());
            }
        }
        StringBuilder out = new StringBuilder("target\top\tpipeline\tops_per_sec\tp50_us\tp99_us\tp999_us\terrors\tratio\n");
        for (RunResult r : results) {
            Double value = ratio.get(r.target() + "/" + r.operation().label() + "/" + r.pipeline());
            out.append(r.target()).append('\t').append(r.operation().label()).append('\t').append(r.pipeline())
                    .append('\t').append(String.format(Locale.ROOT, "%.1f", r.opsPerSecond()))
                    .append('\t').append(r.p50Micros()).append('\t').append(r.p99Micros())
                    .append('\t').append(r.p999Micros()).append('\t').append(r.errors())
                    .append('\t').append(value == null || value.isNaN() ? "" : String.format(Locale.ROOT, "%.4f", value))
                    .append('\n');
        }
        return out.toString();
    }

    /**
     * A matrix for the chart: one row per operation and depth ({@code get/p1}), one column per target,
     * holding {@code value} of each run; "NaN" where a target has no run (gnuplot leaves a gap).
     */
    static String wideTsv(List<RunResult> results, java.util.function.ToDoubleFunction<RunResult> value) {
        List<String> targets = targetsOf(results);
        Map<String, Map<String, RunResult>> byCase = new LinkedHashMap<>();
        for (RunResult r : results) {
            byCase.computeIfAbsent(r.operation().label() + "/p" + r.pipeline(), k -> new LinkedHashMap<>())
                    .put(r.target(), r);
        }
        StringBuilder out = new StringBuilder("case");
        for (String t : targets) {
            out.append('\t').append(t);
        }
        out.append('\n');
        for (Map.Entry<String, Map<String, RunResult>> row : byCase.entrySet()) {
            out.append(row.getKey());
            for (String t : targets) {
                RunResult r = row.getValue().get(t);
                out.append('\t').append(r == null ? "NaN" : String.format(Locale.ROOT, "%.1f", value.applyAsDouble(r)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String rateTable(List<RateResult> results, String baseline, int rounds) {
        Map<String, RateResult> base = new LinkedHashMap<>();
        for (RateResult r : results) {
            if (r.target().equals(baseline)) {
                base.put(r.operation().label() + "/" + r.rate(), r);
            }
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "latency under load (us, from each command's intended send time), median p99 of %d round(s); "
                        + "+p50/+p99 = over %s; late50/late99 = how late the load generator itself sent%n",
                rounds, baseline));
        out.append(String.format(Locale.ROOT, "%-8s %-6s %9s %11s %8s %8s %9s %8s %7s %7s %7s %7s %7s%n", "target",
                "op", "rate", "achieved", "p50", "p99", "p99.9", "max", "+p50", "+p99", "late50", "late99", "errors"));
        for (RateResult r : results) {
            RateResult b = base.get(r.operation().label() + "/" + r.rate());
            if (b != null && (b.achievedOpsPerSecond() == 0 || r.achievedOpsPerSecond() == 0)) {
                b = null; // no right reply on one side: nothing to compare
            }
            out.append(String.format(Locale.ROOT, "%-8s %-6s %9s %11s %8d %8d %9d %8d %7s %7s %7d %7d %7d%n",
                    r.target(), r.operation().label(), String.format(Locale.ROOT, "%,d", r.rate()),
                    String.format(Locale.ROOT, "%,.0f", r.achievedOpsPerSecond()), r.p50Micros(), r.p99Micros(),
                    r.p999Micros(), r.maxMicros(), b == null ? "" : signed(r.p50Micros() - b.p50Micros()),
                    b == null ? "" : signed(r.p99Micros() - b.p99Micros()), r.lateP50Micros(), r.lateP99Micros(),
                    r.errors()));
        }
        for (RateResult r : results) {
            if (r.errors() > 0) {
                out.append("  ").append(r.target()).append(' ').append(r.operation().label()).append(" at ")
                        .append(r.rate()).append(" ops/s first error: ").append(r.firstError()).append('\n');
            }
        }
        return out.toString();
    }

    private static String signed(long micros) {
        return (micros >= 0 ? "+" : "") + micros;
    }

    static String latencyTsv(List<RateResult> results) {
        StringBuilder out = new StringBuilder(
                "target\top\trate\tachieved_ops_per_sec\tp50_us\tp99_us\tp999_us\tmax_us\terrors"
                        + "\tlate_p50_us\tlate_p99_us\n");
        for (RateResult r : results) {
            out.append(r.target()).append('\t').append(r.operation().label()).append('\t').append(r.rate())
                    .append('\t').append(String.format(Locale.ROOT, "%.1f", r.achievedOpsPerSecond()))
                    .append('\t').append(r.p50Micros()).append('\t').append(r.p99Micros())
                    .append('\t').append(r.p999Micros()).append('\t').append(r.maxMicros())
                    .append('\t').append(r.errors()).append('\t').append(r.lateP50Micros())
                    .append('\t').append(r.lateP99Micros()).append('\n');
        }
        return out.toString();
    }

    /**
     * For the chart: one row per operation and rate, operations one after the other with a blank line
     * between them (gnuplot breaks the line there), one column per target holding its p99; NaN where a
     * target has no run or no right reply at that rate.
     */
    static String latencyWideTsv(List<RateResult> results) {
        Set<String> targets = new LinkedHashSet<>();
        Map<Operation, Map<Long, Map<String, RateResult>>> byOp = new LinkedHashMap<>();
        for (RateResult r : results) {
            targets.add(r.target());
            byOp.computeIfAbsent(r.operation(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.rate(), k -> new LinkedHashMap<>()).put(r.target(), r);
        }
        StringBuilder out = new StringBuilder("op\trate");
        for (String t : targets) {
            out.append('\t').append(t);
        }
        out.append('\n');
        String gap = "";
        for (Map.Entry<Operation, Map<Long, Map<String, RateResult>>> op : byOp.entrySet()) {
            out.append(gap);
            gap = "\n";
            for (Map.Entry<Long, Map<String, RateResult>> row : op.getValue().entrySet()) {
                out.append(op.getKey().label()).append('\t').append(row.getKey());
                for (String t : targets) {
                    RateResult r = row.getValue().get(t);
                    out.append('\t').append(r == null || r.achievedOpsPerSecond() == 0 ? "NaN" : Long.toString(r.p99Micros()));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    static String json(BenchOptions options, Map<String, String> descriptions, List<RunResult> results) {
        StringBuilder out = new StringBuilder("{\n  \"config\": {");
        out.append("\"workers\": ").append(options.workers())
                .append(", \"pipelines\": ").append(options.pipelines())
                .append(", \"connectionsPerNode\": ").append(options.connectionsPerNode())
                .append(", \"keySize\": ").append(options.keySize())
                .append(", \"valueSize\": ").append(options.valueSize())
                .append(", \"keyspace\": ").append(options.keyspace())
                .append(", \"durationMillis\": ").append(options.duration().toMillis())
                .append(", \"warmupMillis\": ").append(options.warmup().toMillis())
                .append(", \"baseline\": ").append(quote(options.baseline()))
                .append("},\n  \"targets\": {");
        String sep = "";
        for (Map.Entry<String, String> d : descriptions.entrySet()) {
            out.append(sep).append("\n    ").append(quote(d.getKey())).append(": ").append(quote(d.getValue()));
            sep = ",";
        }
        Map<String, Double> ratio = new LinkedHashMap<>();
        for (RatioRow row : ratios(results, options.baseline())) {
            for (Map.Entry<String, Double> e : row.ratios().entrySet()) {
                ratio.put(e.getKey() + "/" + row.operation().label() + "/" + row.pipeline(), e.getValue());
            }
        }
        out.append("\n  },\n  \"results\": [");
        sep = "";
        for (RunResult r : results) {
            Double value = ratio.get(r.target() + "/" + r.operation().label() + "/" + r.pipeline());
            out.append(sep).append("\n    {\"target\": ").append(quote(r.target()))
                    .append(", \"op\": ").append(quote(r.operation().label()))
                    .append(", \"pipeline\": ").append(r.pipeline())
                    .append(", \"opsPerSec\": ").append(String.format(Locale.ROOT, "%.1f", r.opsPerSecond()))
                    .append(", \"replies\": ").append(r.replies())
                    .append(", \"seconds\": ").append(String.format(Locale.ROOT, "%.3f", r.seconds()))
                    .append(", \"p50Us\": ").append(r.p50Micros())
                    .append(", \"p99Us\": ").append(r.p99Micros())
                    .append(", \"p999Us\": ").append(r.p999Micros())
                    .append(", \"errors\": ").append(r.errors())
                    .append(", \"firstError\": ").append(r.firstError() == null ? "null" : quote(r.firstError()))
                    .append(", \"ratioToBaseline\": ")
                    .append(value == null || value.isNaN() ? "null" : String.format(Locale.ROOT, "%.4f", value))
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
