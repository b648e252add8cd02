package io.rcproxy.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs every selected target against every selected operation (and pipeline depth, or fixed rate), one
 * after the other in one JVM, the whole set {@code --rounds} times interleaved, and prints the medians:
 * a table with throughput, latency percentiles and errors, and the ratio of each target to the direct
 * cluster; in the latency-under-load mode ({@code --rates}) the percentiles at each rate instead.
 *
 * <p>Progress goes to stderr, results to stdout, so {@code --json > out.json} stays clean; {@code --out}
 * also writes the results as TSV files for scripts/bench.sh's chart.
 */
public final class BenchMain {

    /** Targets whose keys live in the bench's cluster, preloaded once through our client. */
    private static final Set<String> CLUSTER_TARGETS = Set.of("client", "lettuce", "proxy", "proxy3");
    /** Time given to the workers of a fixed-rate run to connect and schedule before its clock starts. */
    private static final Duration PACED_LEAD = Duration.ofMillis(200);

    private BenchMain() {
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        int status;
        try {
            status = run(options, System.out, System.err);
        } catch (Exception e) {
            System.err.println("error: " + e);
            status = 1;
        }
        // Lettuce and Netty leave non-daemon threads behind for a while; the results are out.
        System.exit(status);
    }

    static int run(BenchOptions options, PrintStream out, PrintStream log) throws Exception {
        List<Operation> operations = options.operations();
        KeySpace keys = new KeySpace(options.keyspace(), options.keySize(), options.valueSize());
        boolean reads = operations.stream().anyMatch(Operation::readsKeys);
        if (reads && options.targets().stream().anyMatch(CLUSTER_TARGETS::contains)) {
            log.printf(Locale.ROOT, "preloading %,d keys into the cluster at %s%n", keys.size(), options.seeds());
            try (ClientTarget loader = new ClientTarget(options.seeds(), 1, BenchOptions.ClientApi.TYPED)) {
                loader.preload(keys);
            }
        }
        IdleClients idle = options.idleClients() > 0 && options.targets().contains("proxy")
                ? new IdleClients(options.proxy(), options.idleClients()) : null;
        if (idle != null) {
            log.printf(Locale.ROOT, "holding %,d idle connections to the proxy at %s%n", idle.size(), options.proxy());
        }
        try {
            return runTargets(options, operations, keys, reads, out, log);
        } finally {
            if (idle != null) {
                idle.close();
            }
        }
    }

    private static int runTargets(BenchOptions options, List<Operation> operations, KeySpace keys, boolean reads,
                                  PrintStream out, PrintStream log) throws Exception {
        Map<String, String> descriptions = new LinkedHashMap<>();
        Map<String, Target> open = new LinkedHashMap<>();
        Map<String, String> failedToStart = new LinkedHashMap<>();
        try {
            for (String name : options.targets()) {
                try {
                    Target target = open(name, options);
                    open.put(name, target);
                    descriptions.put(name, target.description());
                    log.println(name + ": " + target.description());
                    if (reads && target instanceof RespTarget) {
                        // The cluster was preloaded above; a single server or another proxy loads its own.
                        target.preload(keys);
                    }
                } catch (Exception e) {
                    // A target that cannot even connect still gets its rows, with the error shown.
                    log.println(name + ": cannot start: " + e);
                    descriptions.put(name, "could not start: " + e);
                    failedToStart.put(name, "cannot start: " + e);
                }
            }
            if (options.rates().isEmpty()) {
                runThroughput(options, operations, keys, open, failedToStart, descriptions, out, log);
            } else {
                runRates(options, operations, keys, open, failedToStart, descriptions, out, log);
            }
        } finally {
            for (Target target : open.values()) {
                target.close();
            }
        }
        return 0;
    }

    /** Saturation: every depth, target and operation once per round; the median round reported. */
    private static void runThroughput(BenchOptions options, List<Operation> operations, KeySpace keys,
                                      Map<String, Target> open, Map<String, String> failedToStart,
                                      Map<String, String> descriptions, PrintStream out, PrintStream log)
            throws Exception {
        // Every round runs every target and operation once, so slow drifts of a shared machine hit all
        // targets alike; the reported run is the median of the rounds.
        Map<String, List<RunResult>> runs = new LinkedHashMap<>();
        Duration drain = options.timeout().plusSeconds(2);
        for (int round = 1; round <= options.rounds(); round++) {
            for (int pipeline : options.pipelines()) {
                for (Map.Entry<String, Target> entry : open.entrySet()) {
                    String name = entry.getKey();
                    Target target = entry.getValue();
                    for (Operation op : operations) {
                        int slots = target instanceof RespTarget ? options.workers() : options.workers() * pipeline;
                        LoadWindow window = new LoadWindow(slots, options.maxOpsPerWorker());
                        target.start(op, keys, window, pipeline);
                        RunResult result = window.measure(name, op, pipeline, options.warmup(), options.duration(), drain);
                        runs.computeIfAbsent(key(name, op, pipeline), k -> new ArrayList<>()).add(result);
                        log.printf(Locale.ROOT, "  round %d pipeline %d %-8s %-6s %,12.0f ops/s  p50 %d us  p99 %d us  errors %d%n",
                                round, pipeline, name, op.label(), result.opsPerSecond(), result.p50Micros(),
                                result.p99Micros(), result.errors());
                    }
                }
            }
        }
        List<RunResult> results = new ArrayList<>();
        for (int pipeline : options.pipelines()) {
            for (String name : options.targets()) {
                for (Operation op : operations) {
                    List<RunResult> list = runs.get(key(name, op, pipeline));
                    if (list != null) {
                        results.add(median(list));
                    } else if (failedToStart.containsKey(name)) {
                        results.add(new RunResult(name, op, pipeline, 0, 0, 0, 0, 0, 1, failedToStart.get(name)));
                    }
                }
            }
        }
        if (options.out() != null) {
            write(options.out(), "throughput.tsv", Report.throughputTsv(results, options.baseline()));
            write(options.out(), "throughput-wide.tsv", Report.wideTsv(results, RunResult::opsPerSecond));
            write(options.out(), "p99-wide.tsv", Report.wideTsv(results, RunResult::p99Micros));
        }
        if (options.json()) {
            out.print(Report.json(options, descriptions, results));
            return;
        }
        out.printf(Locale.ROOT, "%nworkers %d, pipeline %s, %d conns/node (client), key %d B, value %d B, "
                        + "keyspace %,d, %s s measured after %s s warm-up, median of %d round(s)%n",
                options.workers(), joined(options.pipelines()), options.connectionsPerNode(), options.keySize(),
                options.valueSize(), options.keyspace(), seconds(options.duration()), seconds(options.warmup()),
                options.rounds());
        printDescriptions(descriptions, out);
        out.print(Report.table(results));
        out.println();
        out.print(Report.ratioTable(results, options.baseline(), options.rounds()));
    }

    /** Latency under load: every rate, target and operation once per round, on a fixed schedule. */
    private static void runRates(BenchOptions options, List<Operation> operations, KeySpace keys,
                                 Map<String, Target> open, Map<String, String> failedToStart,
                                 Map<String, String> descriptions, PrintStream out, PrintStream log)
            throws Exception {
        Map<String, List<RateResult>> runs = new LinkedHashMap<>();
        Duration drain = options.timeout().plusSeconds(2);
        for (int round = 1; round <= options.rounds(); round++) {
            for (long rate : options.rates()) {
                for (Map.Entry<String, Target> entry : open.entrySet()) {
                    String name = entry.getKey();
                    for (Operation op : operations) {
                        PacedRun run = new PacedRun(new RateSchedule(rate, options.workers()), PACED_LEAD,
                                options.warmup(), options.duration());
                        entry.getValue().startPaced(op, keys, run);
                        RateResult result = run.measure(name, op, drain);
                        runs.computeIfAbsent(name + "/" + op.label() + "/" + rate, k -> new ArrayList<>()).add(result);
                        log.printf(Locale.ROOT, "  round %d rate %,d %-8s %-6s %,10.0f ops/s  p50 %d us  p99 %d us  "
                                        + "p99.9 %d us  errors %d%n", round, rate, name, op.label(),
                                result.achievedOpsPerSecond(), result.p50Micros(), result.p99Micros(),
                                result.p999Micros(), result.errors());
                    }
                }
            }
        }
        List<RateResult> results = new ArrayList<>();
        for (long rate : options.rates()) {
            for (String name : options.targets()) {
                for (Operation op : operations) {
                    List<RateResult> list = runs.get(name + "/" + op.label() + "/" + rate);
                    if (list != null) {
                        results.add(medianRate(list));
                    } else if (failedToStart.containsKey(name)) {
                        results.add(new RateResult(name, op, rate, 0, 0, 0, 0, 0, 0, 0, 1, failedToStart.get(name)));
                    }
                }
            }
        }
        if (options.out() != null) {
            write(options.out(), "latency.tsv", Report.latencyTsv(results));
            write(options.out(), "latency-p99-wide.tsv", Report.latencyWideTsv(results));
        }
        out.printf(Locale.ROOT, "%nfixed rates %s ops/s over %d workers (connections or chains), key %d B, value %d B, "
                        + "keyspace %,d, %s s measured after %s s warm-up%n",
                joined(options.rates()), options.workers(), options.keySize(), options.valueSize(),
                options.keyspace(), seconds(options.duration()), seconds(options.warmup()));
        printDescriptions(descriptions, out);
        out.print(Report.rateTable(results, options.baseline(), options.rounds()));
    }

    private static String key(String target, Operation op, int pipeline) {
        return target + "/" + op.label() + "/" + pipeline;
    }

    private static void printDescriptions(Map<String, String> descriptions, PrintStream out) {
        for (Map.Entry<String, String> d : descriptions.entrySet()) {
            out.println("  " + d.getKey() + ": " + d.getValue());
        }
        out.println();
    }

    private static void write(Path dir, String file, String text) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
    }

    private static String joined(List<? extends Number> values) {
        StringBuilder s = new StringBuilder();
        for (Number v : values) {
            s.append(s.length() == 0 ? "" : ",").append(v);
        }
        return s.toString();
    }

    /** The run with the median throughput (the lower middle one for an even count); errors summed. */
    static RunResult median(List<RunResult> list) {
        List<RunResult> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingDouble(RunResult::opsPerSecond));
        RunResult middle = sorted.get((sorted.size() - 1) / 2);
        long errors = 0;
        String firstError = null;
        for (RunResult r : list) {
            errors += r.errors();
            if (firstError == null) {
                firstError = r.firstError();
            }
        }
        return new RunResult(middle.target(), middle.operation(), middle.pipeline(), middle.replies(),
                middle.seconds(), middle.p50Micros(), middle.p99Micros(), middle.p999Micros(), errors, firstError);
    }

    /** The fixed-rate run with the median p99 (the lower middle one for an even count); errors summed. */
    static RateResult medianRate(List<RateResult> list) {
        List<RateResult> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingLong(RateResult::p99Micros));
        RateResult middle = sorted.get((sorted.size() - 1) / 2);
        long errors = 0;
        String firstError = null;
        for (RateResult r : list) {
            errors += r.errors();
            if (firstError == null) {
                firstError = r.firstError();
            }
        }
        return new RateResult(middle.target(), middle.operation(), middle.rate(), middle.achievedOpsPerSecond(),
                middle.p50Micros(), middle.p99Micros(), middle.p999Micros(), middle.maxMicros(), middle.lateP50Micros(),
                middle.lateP99Micros(), errors, firstError);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    private static Target open(String name, BenchOptions options) {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());
        if (options.extraTargets().containsKey(name)) {
            // Another proxy, maybe in front of another cluster: its keys go in through it.
            return new RespTarget(name, options.extraTargets().get(name), timeoutMillis, true, false);
        }
        return switch (name) {
            case "client" -> new ClientTarget(options.seeds(), options.connectionsPerNode(), options.clientApi());
            case "lettuce" -> new LettuceTarget(options.seeds());
            case "proxy" -> new RespTarget("proxy", options.proxy(), timeoutMillis, false, false);
            case "proxy3" -> new RespTarget("proxy3", options.proxy(), timeoutMillis, false, true);
            case "single" -> new RespTarget("single", options.single(), timeoutMillis, true, false);
            default -> throw new IllegalArgumentException("unknown target " + name);
        };
    }
}
