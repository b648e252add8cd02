package io.rcproxy.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every selected target against every selected operation, one after the other in one JVM, and prints
 * one table (or JSON) with throughput, latency percentiles, errors and the ratios between targets.
 *
 * <p>Progress goes to stderr, results to stdout, so {@code --json > out.json} stays clean.
 */
public final class BenchMain {

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
        List<Operation> operations = new ArrayList<>();
        for (Operation op : options.operations()) {
            if (true) {
                operations.add(op);
            } else {
                log.println(op.label() + ": not supported yet (needs keys across slots); skipped");
            }
        }
        if (operations.isEmpty()) {
            return 2;
        }
        KeySpace keys = new KeySpace(options.keyspace(), options.keySize(), options.valueSize());
        boolean reads = operations.stream().anyMatch(Operation::readsKeys);
        if (reads && options.targets().stream().anyMatch(t -> !t.equals("single"))) {
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
        // Every round runs every target and operation once, so slow drifts of a shared machine hit all
        // targets alike; the reported run is the median of the rounds.
        Map<String, List<RunResult>> runs = new LinkedHashMap<>();
        Duration drain = options.timeout().plusSeconds(2);
        try {
            for (String name : options.targets()) {
                try {
                    Target target = open(name, options);
                    open.put(name, target);
                    descriptions.put(name, target.description());
                    log.println(name + ": " + target.description());
                    if (reads && target instanceof RespTarget) {
                        // The cluster was preloaded above; a single server needs its own copy.
                        target.preload(keys);
                    }
                } catch (Exception e) {
                    // A target that cannot even connect still gets its rows, with the error shown.
                    log.println(name + ": cannot start: " + e);
                    descriptions.put(name, "could not start: " + e);
                    for (Operation op : operations) {
                        runs.computeIfAbsent(name + "/" + op.label(), k -> new ArrayList<>())
                                .add(new RunResult(name, op, 0, 0, 0, 0, 0, 1, "cannot start: " + e));
                    }
                }
            }
            for (int round = 1; round <= options.rounds(); round++) {
                for (Map.Entry<String, Target> entry : open.entrySet()) {
                    String name = entry.getKey();
                    Target target = entry.getValue();
                    for (Operation op : operations) {
                        int slots = target instanceof RespTarget ? options.workers()
                                : options.workers() * options.pipeline();
                        LoadWindow window = new LoadWindow(slots, options.maxOpsPerWorker());
                        target.start(op, keys, window);
                        RunResult result = window.measure(name, op, options.warmup(), options.duration(), drain);
                        runs.computeIfAbsent(name + "/" + op.label(), k -> new ArrayList<>()).add(result);
                        log.printf(Locale.ROOT, "  round %d %-7s %-6s %,12.0f ops/s  p50 %d us  p99 %d us  errors %d%n",
                                round, name, op.label(), result.opsPerSecond(), result.p50Micros(),
                                result.p99Micros(), result.errors());
                    }
                }
            }
        } finally {
            for (Target target : open.values()) {
                target.close();
            }
        }
        List<RunResult> results = new ArrayList<>();
        for (String name : options.targets()) {
            for (Operation op : operations) {
                List<RunResult> list = runs.get(name + "/" + op.label());
                if (list != null) {
                    results.add(median(list));
                }
            }
        }
        if (options.json()) {
            out.print(Report.json(options, descriptions, results));
        } else {
            out.printf(Locale.ROOT, "%nworkers %d, pipeline %d, %d conns/node (client), key %d B, value %d B, "
                            + "keyspace %,d, %s s measured after %s s warm-up, median of %d round(s)%n",
                    options.workers(), options.pipeline(), options.connectionsPerNode(), options.keySize(),
                    options.valueSize(), options.keyspace(), seconds(options.duration()), seconds(options.warmup()),
                    options.rounds());
            for (Map.Entry<String, String> d : descriptions.entrySet()) {
                out.println("  " + d.getKey() + ": " + d.getValue());
            }
            out.println();
            out.print(Report.table(results));
        }
        return 0;
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
        return new RunResult(middle.target(), middle.operation(), middle.replies(), middle.seconds(),
                middle.p50Micros(), middle.p99Micros(), middle.p999Micros(), errors, firstError);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    private static Target open(String name, BenchOptions options) {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());
        return switch (name) {
            case "client" -> new ClientTarget(options.seeds(), options.connectionsPerNode(), options.clientApi());
            case "lettuce" -> new LettuceTarget(options.seeds());
            case "proxy" -> new RespTarget("proxy", options.proxy(), options.pipeline(), timeoutMillis, false, false);
            case "proxy3" -> new RespTarget("proxy3", options.proxy(), options.pipeline(), timeoutMillis, false, true);
            case "single" -> new RespTarget("single", options.single(), options.pipeline(), timeoutMillis, true, false);
            default -> throw new IllegalArgumentException("unknown target " + name);
        };
    }
}
