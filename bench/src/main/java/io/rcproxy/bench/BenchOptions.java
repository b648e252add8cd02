package io.rcproxy.bench;

import io.rcproxy.cluster.topology.HostAndPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The bench's command line, parsed and checked. Immutable.
 *
 * @param targets          which targets to run, in the order given: the built-in ones (client, lettuce,
 *                         proxy, proxy3, single) and any named in {@code extraTargets}
 * @param extraTargets     other proxies, by the name given on the command line ({@code name=host:port}),
 *                         driven as plain RESP targets like {@code proxy}
 * @param single           a stand-alone redis-server, for target {@code single}
 * @param pipelines        depths to run, each one in turn: commands each worker keeps outstanding (RESP
 *                         targets write them as one batch; the async targets run that many chains per worker)
 * @param baseline         the target every throughput is divided by in the ratio table (the direct cluster)
 * @param out              directory for the result files (TSV), or null for none
 * @param rates            the latency-under-load mode when not empty: fixed total request rates, ops/s
 * @param maxOpsPerWorker  a hard stop by count, in case the clock never stopped a worker
 * @param idleClients      extra connections held open to the proxy during the runs (memory check)
 * @param rounds           times every target and operation is run; the median run is reported
 */
public record BenchOptions(List<String> targets, Map<String, HostAndPort> extraTargets, int workers,
                           int connectionsPerNode, int keySize, int valueSize, int keyspace, Duration duration,
                           Duration warmup, List<Operation> operations, List<Integer> pipelines,
                           List<HostAndPort> seeds, HostAndPort proxy, HostAndPort single, boolean json,
                           ClientApi clientApi, Duration timeout, long maxOpsPerWorker, int idleClients, int rounds,
                           String baseline, Path out, List<Long> rates, boolean help) {

    public static final List<String> KNOWN_TARGETS = List.of("client", "lettuce", "proxy", "proxy3", "single");

    /** How the {@code client} target calls the cluster client; see {@link ClientTarget}. */
    public enum ClientApi { TYPED, COMMAND }

    public static final String USAGE = """
            usage: java -jar bench/target/redis-cluster-bench.jar [options]
              --targets LIST              client,lettuce,proxy,proxy3,single and NAME=HOST:PORT entries
                                          (default client,lettuce,proxy); proxy3 is the proxy spoken to in
                                          RESP3 (HELLO 3 first); NAME=HOST:PORT is any other proxy, driven
                                          as plain RESP like proxy (its keys are preloaded through it)
              --ops LIST                  get,set,mixed,mget10 (default get,set,mixed); mget10 = one MGET of
                                          ten keys in ten slots
              --workers N                 concurrent workers, each waiting for its reply (default 16)
              --pipeline LIST             commands outstanding per worker, e.g. 1,16: every depth is run
                                          (default 1)
              --baseline NAME             target the ratio table divides by (default client, the direct
                                          cluster; lettuce when client is not run)
              --out DIR                   also write throughput.tsv (and latency.tsv) into DIR
              --rates LIST                latency under load instead of saturation: total ops/s per run,
                                          e.g. 10k,50k,100k; workers send on a fixed schedule and latency
                                          is measured from each command's intended send time
              --connections-per-node N    client target: connections per node per event loop (default 4)
              --key-size N                bytes per key (default 512)
              --value-size N              bytes per value (default 512)
              --keyspace N                distinct keys (default 10000)
              --duration D                measured time per run, e.g. 10s, 500ms (default 10s)
              --warmup D                  unmeasured time before each run (default 2s)
              --seeds LIST                cluster nodes, host:port,... (default 127.0.0.1:7001)
              --proxy HOST:PORT           the proxy (default 127.0.0.1:6380)
              --single HOST:PORT          a stand-alone redis-server for target single (default 127.0.0.1:6379)
              --client-api typed|command  client target: get/set futures, or raw ClusterCommands (default typed)
              --timeout D                 connect/reply timeout of the RESP targets (default 5s)
              --max-ops-per-worker N      stop a worker after this many commands (default 100000000)
              --idle-clients N            hold N extra idle connections to the proxy while running (default 0)
              --rounds N                  run every target and operation N times, interleaved; report medians (default 1)
              --json                      print machine-readable results instead of tables (saturation
                                          runs; --rates runs always print their table)
            """;

    public static BenchOptions defaults() {
        return new BenchOptions(List.of("client", "lettuce", "proxy"), Map.of(), 16, 4, 512, 512, 10_000,
                Duration.ofSeconds(10), Duration.ofSeconds(2), List.of(Operation.GET, Operation.SET, Operation.MIXED),
                List.of(1), List.of(new HostAndPort("127.0.0.1", 7001)), new HostAndPort("127.0.0.1", 6380),
                new HostAndPort("127.0.0.1", 6379), false, ClientApi.TYPED, Duration.ofSeconds(5), 100_000_000L,
                0, 1, "client", null, List.of(), false);
    }

    /** Parses {@code --name value} pairs over the defaults; throws IllegalArgumentException on bad input. */
    public static BenchOptions parse(String... args) {
        BenchOptions o = defaults();
        List<String> targets = o.targets;
        Map<String, HostAndPort> extra = o.extraTargets;
        int workers = o.workers;
        int connections = o.connectionsPerNode;
        int keySize = o.keySize;
        int valueSize = o.valueSize;
        int keyspace = o.keyspace;
        Duration duration = o.duration;
        Duration warmup = o.warmup;
        List<Operation> ops = o.operations;
        List<Integer> pipelines = o.pipelines;
        List<HostAndPort> seeds = o.seeds;
        HostAndPort proxy = o.proxy;
        HostAndPort single = o.single;
        boolean json = false;
        ClientApi api = o.clientApi;
        Duration timeout = o.timeout;
        long maxOps = o.maxOpsPerWorker;
        int idleClients = o.idleClients;
        int rounds = o.rounds;
        String baseline = null;
        Path out = null;
        List<Long> rates = o.rates;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--json")) {
                json = true;
                continue;
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                help = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value" : "unexpected argument '" + flag + "'");
            }
            String value = args[++i];
            switch (flag) {
                case "--targets" -> {
                    extra = parseExtraTargets(value);
                    targets = parseTargets(value);
                }
                case "--workers" -> workers = positive(flag, value);
                case "--connections-per-node" -> connections = positive(flag, value);
                case "--key-size" -> keySize = positive(flag, value);
                case "--value-size" -> valueSize = positive(flag, value);
                case "--keyspace" -> keyspace = positive(flag, value);
                case "--duration" -> duration = parseDuration(flag, value);
                case "--warmup" -> warmup = parseDuration(flag, value);
                case "--ops" -> ops = parseOperations(value);
                case "--pipeline" -> pipelines = parsePositives(flag, value);
                case "--seeds" -> seeds = parseAddresses(flag, value);
                case "--proxy" -> proxy = parseAddresses(flag, value).get(0);
                case "--single" -> single = parseAddresses(flag, value).get(0);
                case "--client-api" -> api = parseApi(value);
                case "--timeout" -> timeout = parseDuration(flag, value);
                case "--max-ops-per-worker" -> maxOps = positive(flag, value);
                case "--idle-clients" -> idleClients = nonNegativeInt(flag, value);
                case "--rounds" -> rounds = positive(flag, value);
                case "--baseline" -> baseline = value.trim();
                case "--out" -> out = Path.of(value);
                case "--rates" -> rates = RateSchedule.parseRates(value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (duration.isZero()) {
            throw new IllegalArgumentException("--duration must be more than 0");
        }
        if (timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be more than 0");
        }
        if (baseline == null) {
            baseline = targets.contains("client") || !targets.contains("lettuce") ? "client" : "lettuce";
        }
        return new BenchOptions(targets, extra, workers, connections, keySize, valueSize, keyspace, duration,
                warmup, ops, pipelines, seeds, proxy, single, json, api, timeout, maxOps, idleClients, rounds,
                baseline, out, rates, help);
    }

    static int nonNegativeInt(String flag, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(flag + ": expected a whole number >= 0, got '" + value + "'");
    }

    /** "10s", "500ms", "2m", or a bare number of seconds. */
    static Duration parseDuration(String flag, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return nonNegative(flag, Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))));
            }
            if (t.endsWith("s")) {
                return nonNegative(flag, Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000)));
            }
            if (t.endsWith("m")) {
                return nonNegative(flag, Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60));
            }
            return nonNegative(flag, Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": not a duration: '" + text + "' (e.g. 10s, 500ms)");
        }
    }

    private static Duration nonNegative(String flag, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(flag + " must not be negative");
        }
        return d;
    }

    private static int positive(String flag, String text) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n < 1) {
                throw new IllegalArgumentException(flag + " must be at least 1, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": not a number: '" + text + "'");
        }
    }

    /** The names, in order: a built-in name, or the NAME of a NAME=HOST:PORT entry. */
    private static List<String> parseTargets(String text) {
        Set<String> targets = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String t = part.trim();
            int equals = t.indexOf('=');
            if (equals >= 0) {
                t = t.substring(0, equals).trim();
            } else {
                t = t.toLowerCase(Locale.ROOT);
                if (!t.isEmpty() && !KNOWN_TARGETS.contains(t)) {
                    throw new IllegalArgumentException("unknown target '" + part
                            + "' (client, lettuce, proxy, proxy3, single, or NAME=HOST:PORT for another proxy)");
                }
            }
            if (!t.isEmpty() && !targets.add(t)) {
                throw new IllegalArgumentException("--targets names '" + t + "' twice");
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("--targets names no target");
        }
        return List.copyOf(targets);
    }

    /** The NAME=HOST:PORT entries of a target list; a name may not shadow a built-in target. */
    static Map<String, HostAndPort> parseExtraTargets(String text) {
        Map<String, HostAndPort> extra = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int equals = part.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String name = part.substring(0, equals).trim();
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("--targets: bad target name '" + name
                        + "' in '" + part.trim() + "' (letters, digits, _ . -)");
            }
            if (KNOWN_TARGETS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--targets: '" + name + "' is a built-in target; pick another name");
            }
            extra.put(name, parseAddresses("--targets", part.substring(equals + 1)).get(0));
        }
        return Collections.unmodifiableMap(extra);
    }

    private static List<Integer> parsePositives(String flag, String text) {
        Set<Integer> values = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                values.add(positive(flag, part));
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException(flag + " names no value");
        }
        return List.copyOf(values);
    }

    private static List<Operation> parseOperations(String text) {
        Set<Operation> ops = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                ops.add(Operation.parse(part));
            }
        }
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("--ops names no operation");
        }
        return List.copyOf(ops);
    }

    private static List<HostAndPort> parseAddresses(String flag, String text) {
        List<HostAndPort> list = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                try {
                    list.add(HostAndPort.parse(part.trim()));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(flag + ": bad address '" + part + "': " + e.getMessage());
                }
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException(flag + " names no address");
        }
        return List.copyOf(list);
    }

    private static ClientApi parseApi(String text) {
        try {
            return ClientApi.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--client-api must be typed or command, got '" + text + "'");
        }
    }
}
