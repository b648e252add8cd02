package io.rcproxy.proxy.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.rcproxy.cluster.internal.connection.DedicatedPoolOptions;
import io.netty.util.internal.PlatformDependent;
import io.rcproxy.cluster.spi.ReadFrom;
import io.rcproxy.cluster.internal.connection.Transport;
import io.rcproxy.cluster.topology.HostAndPort;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link ProxyConfig} from layers, each overriding the next: command-line flags, then the
 * environment variables a container sets, then the {@code --config} file, then {@code reference.conf}.
 * Every value is checked here, so a bad one stops start-up with a message that names its key.
 */
public final class ProxyConfigLoader {

    /**
     * Environment variables and the keys they set. The metrics keys are defined by the metrics endpoint
     * (its own reference.conf section); until that is present, setting them is an unknown-key error.
     */
    public static final Map<String, String> ENVIRONMENT_KEYS = Map.of(
            "PROXY_BIND", "proxy.listen.bind",
            "PROXY_PORT", "proxy.listen.port",
            "PROXY_SEEDS", "proxy.cluster.seeds",
            "PROXY_USERNAME", "proxy.cluster.username",
            "PROXY_PASSWORD", "proxy.cluster.password",
            "PROXY_LOG_LEVEL", "proxy.log.level",
            "PROXY_METRICS_BIND", "proxy.metrics.bind",
            "PROXY_METRICS_PORT", "proxy.metrics.port",
            "PROXY_AUTH_PASSWORD", "proxy.auth.password",
            "PROXY_AUTH_PASSWORD_FILE", "proxy.auth.password-file");

    /** The levels {@code proxy.log.level} accepts. */
    public static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    private ProxyConfigLoader() {
    }

    /**
     * @param flags settings given on the command line, by key
     * @param file  a HOCON file, or null
     * @param env   the process environment
     */
    public static ProxyConfig load(Map<String, Object> flags, File file, Map<String, String> env) {
        return load(flags, file, env, PlatformDependent.maxDirectMemory());
    }

    /** As {@link #load(Map, File, Map)}, for a JVM whose direct-memory limit is {@code maxDirectMemory}. */
    static ProxyConfig load(Map<String, Object> flags, File file, Map<String, String> env, long maxDirectMemory) {
        Config reference = ConfigFactory.parseResources(ProxyConfigLoader.class.getClassLoader(), "reference.conf");
        Config fromFile = ConfigFactory.empty();
        if (file != null) {
            if (!file.isFile()) {
                throw new InvalidConfigException("--config: no such file " + file);
            }
            try {
                fromFile = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new InvalidConfigException(file + ": " + e.getMessage());
            }
        }
        Map<String, Object> fromEnv = new HashMap<>();
        ENVIRONMENT_KEYS.forEach((variable, key) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                fromEnv.put(key, value);
            }
        });
        Config merged;
        try {
            merged = ConfigFactory.parseMap(flags, "command line")
                    .withFallback(ConfigFactory.parseMap(fromEnv, "environment"))
                    .withFallback(fromFile)
                    .withFallback(reference)
                    .resolve();
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.getMessage());
        }
        try {
            rejectUnknownKeys(merged, reference);
            return read(merged, maxDirectMemory);
        } catch (ConfigException e) {
            // A shape the checks above did not expect, e.g. "proxy.listen = 5": still name the key.
            throw new InvalidConfigException(e.getMessage());
        }
    }

    /** Loads only the defaults plus {@code overrides} (keys as in reference.conf); for tests and tools. */
    public static ProxyConfig fromMap(Map<String, Object> overrides) {
        return load(overrides, null, Map.of());
    }

    /** Like {@link #fromMap(Map)}, as if the JVM's direct-memory limit were {@code maxDirectMemory}. */
    static ProxyConfig fromMap(Map<String, Object> overrides, long maxDirectMemory) {
        return load(overrides, null, Map.of(), maxDirectMemory);
    }

    private static void rejectUnknownKeys(Config merged, Config reference) {
        Set<Map.Entry<String, ConfigValue>> entries = merged.getConfig("proxy").entrySet();
        for (Map.Entry<String, ConfigValue> entry : entries) {
            String key = "proxy." + entry.getKey();
            if (!reference.hasPath(key)) {
                throw new InvalidConfigException(key + ": unknown setting");
            }
        }
    }

    private static ProxyConfig read(Config c, long maxDirectMemory) {
        int loops = intIn(c, "proxy.io.event-loops", 0, 1024);
        long bufferMemory = bufferMemory(c, maxDirectMemory);
        int maxBulkLength = maxBulkLength(c, bufferMemory);
        String username = string(c, "proxy.cluster.username");
        String password = string(c, "proxy.cluster.password");
        if (!username.isEmpty() && password.isEmpty()) {
            throw new InvalidConfigException("proxy.cluster.username: set to \"" + username
                    + "\" but proxy.cluster.password is empty");
        }
        Duration commandTimeout = duration(c, "proxy.cluster.command-timeout", false);
        // A retried command must still answer within the command timeout, so the window is capped by it.
        Duration retryWindow = min(duration(c, "proxy.cluster.retry-window", true), commandTimeout);
        return new ProxyConfig(
                nonEmptyString(c, "proxy.listen.bind"),
                intIn(c, "proxy.listen.port", 1, 65535),
                seeds(c, "proxy.cluster.seeds"),
                loops == 0 ? defaultEventLoops() : loops,
                transport(c, "proxy.io.transport"),
                intIn(c, "proxy.cluster.connections-per-node", 1, 256),
                duration(c, "proxy.cluster.connect-timeout", false),
                commandTimeout,
                intIn(c, "proxy.cluster.max-redirects", 0, 100),
                duration(c, "proxy.cluster.refresh-interval", true),
                maxBulkLength,
                bufferMemory,
                intIn(c, "proxy.limits.max-args", 1, Integer.MAX_VALUE),
                intIn(c, "proxy.limits.max-pending-per-client", 1, 10_000_000),
                intIn(c, "proxy.limits.max-clients", 1, 10_000_000),
                new MetricsConfig(bool(c, "proxy.metrics.enabled"), nonEmptyString(c, "proxy.metrics.bind"),
                        intIn(c, "proxy.metrics.port", 0, 65535), string(c, "proxy.metrics.token-file").trim(),
                        bool(c, "proxy.metrics.protect-health")),
                duration(c, "proxy.shutdown.grace-period", true),
                username,
                password,
                bytes(c, "proxy.limits.pubsub-output-buffer", 1024, 1L << 40),
                logLevel(c, "proxy.log.level"),
                retryWindow,
                bool(c, "proxy.cluster.fail-fast-startup"),
                dedicatedPool(c),
                SecurityConfigReader.read(c),
                new TrackingConfig(intIn(c, "proxy.tracking.max-keys", 1, 100_000_000),
                        duration(c, "proxy.tracking.link-timeout", false)),
                bool(c, "proxy.listen.present-as-cluster"),
                readFrom(c, "proxy.read-from"),
                duration(c, "proxy.replica.read-your-writes-window", true),
                bytes(c, "proxy.replica.max-lag", 0, Long.MAX_VALUE),
                busyScope(c, "proxy.scripts.busy-scope"));
    }

    /** {@code proxy.cluster.dedicated-pool}: how many idle dedicated connections to keep, and how long. */
    private static DedicatedPoolOptions dedicatedPool(Config c) {
        return new DedicatedPoolOptions(intIn(c, "proxy.cluster.dedicated-pool.max-idle-per-node", 0, 1024),
                duration(c, "proxy.cluster.dedicated-pool.idle-timeout", false));
    }

    /** Redis's own {@code proto-max-bulk-len}: the largest {@code max-bulk-length} ever chosen by itself. */
    static final int REDIS_MAX_BULK_LENGTH = 512 * 1024 * 1024;
    /** Direct memory kept outside the budget when it is set by hand: socket, batch and small-frame buffers. */
    static final long UNCOUNTED_HEADROOM = 32L * 1024 * 1024;
    static final long MIN_BUFFER_MEMORY = 1024 * 1024;

    /**
     * {@code auto}: half the JVM's direct-memory limit ({@code -XX:MaxDirectMemorySize}, else the heap size),
     * leaving the other half to what the budget does not count (see {@code BufferBudget}). A size set by
     * hand must leave {@link #UNCOUNTED_HEADROOM} of direct memory outside it.
     */
    static long bufferMemory(Config c, long maxDirectMemory) {
        String key = "proxy.limits.buffer-memory";
        if (isAuto(c, key)) {
            long half = maxDirectMemory / 2;
            if (half < MIN_BUFFER_MEMORY) {
                throw new InvalidConfigException(key + ": auto gives " + half + " bytes (half of the JVM's "
                        + maxDirectMemory + " bytes of direct memory), below the minimum of " + MIN_BUFFER_MEMORY
                        + "; raise -XX:MaxDirectMemorySize");
            }
            return half;
        }
        long limit = Math.max(MIN_BUFFER_MEMORY, maxDirectMemory - UNCOUNTED_HEADROOM);
        long n = bytes(c, key, MIN_BUFFER_MEMORY, Long.MAX_VALUE);
        if (n > maxDirectMemory - UNCOUNTED_HEADROOM) {
            throw new InvalidConfigException(key + ": " + n + " bytes do not fit in the JVM's direct memory of "
                    + maxDirectMemory + " bytes with " + UNCOUNTED_HEADROOM + " to spare (at most " + limit
                    + "); raise -XX:MaxDirectMemorySize or lower this, or use auto");
        }
        return n;
    }

    /**
     * {@code auto}: Redis's 512 MB, or {@code buffer-memory} when that is smaller. A length set by hand must
     * fit in {@code buffer-memory}, or a request at the limit could never be buffered.
     */
    static int maxBulkLength(Config c, long bufferMemory) {
        String key = "proxy.limits.max-bulk-length";
        if (isAuto(c, key)) {
            return (int) Math.min(REDIS_MAX_BULK_LENGTH, bufferMemory);
        }
        int n = intIn(c, key, 1, Integer.MAX_VALUE - 2);
        if (n > bufferMemory) {
            throw new InvalidConfigException(key + ": " + n + " bytes do not fit in proxy.limits.buffer-memory ("
                    + bufferMemory + " bytes); lower it, raise buffer-memory, or give the JVM more direct memory"
                    + " (-XX:MaxDirectMemorySize)");
        }
        return n;
    }

    private static boolean isAuto(Config c, String key) {
        ConfigValue value = c.getValue(key);
        return value.valueType() == ConfigValueType.STRING
                && "auto".equalsIgnoreCase(((String) value.unwrapped()).trim());
    }

    static boolean bool(Config c, String key) {
        try {
            return c.getBoolean(key);
        } catch (ConfigException.WrongType e) {
            throw new InvalidConfigException(key + ": expected true or false, got " + render(c.getValue(key)));
        }
    }

    /**
     * Half the processors, at least one. A sidecar shares its node with the application (and, on a small
     * machine, with Redis itself); on the 2-core development machine one loop spent a fifth to a third less
     * CPU per command than two, because each turn carried more commands per system call.
     */
    public static int defaultEventLoops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    static int intIn(Config c, String key, int min, int max) {
        ConfigValue value = c.getValue(key);
        Object raw = value.unwrapped();
        long number;
        if (raw instanceof Number n && (n instanceof Integer || n instanceof Long)) {
            number = n.longValue();
        } else if (raw instanceof String s && s.trim().matches("-?\\d{1,18}")) {
            number = Long.parseLong(s.trim());
        } else {
            throw new InvalidConfigException(key + ": expected an integer " + min + "-" + max + ", got "
                    + render(value));
        }
        if (number < min || number > max) {
            throw new InvalidConfigException(key + ": expected an integer " + min + "-" + max + ", got " + number);
        }
        return (int) number;
    }

    /** A byte count: a plain number or a size such as {@code 64k} or {@code 32 MB}. */
    static long bytes(Config c, String key, long min, long max) {
        long n;
        try {
            n = c.getBytes(key);
        } catch (ConfigException.BadValue | ConfigException.WrongType e) {
            throw new InvalidConfigException(key + ": expected a size in bytes such as 65536 or 32MB, got "
                    + render(c.getValue(key)));
        }
        if (n < min || n > max) {
            throw new InvalidConfigException(key + ": expected a size of " + min + "-" + max + " bytes, got " + n);
        }
        return n;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static Duration duration(Config c, String key, boolean zeroAllowed) {
        Duration d;
        try {
            d = c.getDuration(key);
        } catch (ConfigException.BadValue | ConfigException.WrongType e) {
            throw new InvalidConfigException(key + ": expected a duration such as 500ms or 5s, got "
                    + render(c.getValue(key)));
        }
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new InvalidConfigException(key + ": expected a " + (zeroAllowed ? "non-negative" : "positive")
                    + " duration, got " + render(c.getValue(key)));
        }
        return d;
    }

    static String nonEmptyString(Config c, String key) {
        ConfigValue value = c.getValue(key);
        if (value.valueType() != ConfigValueType.STRING || ((String) value.unwrapped()).isBlank()) {
            throw new InvalidConfigException(key + ": expected a non-empty string, got " + render(value));
        }
        return ((String) value.unwrapped()).trim();
    }

    /** Any scalar as text (a password may look like a number); empty allowed. */
    static String string(Config c, String key) {
        ConfigValue value = c.getValue(key);
        if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST
                || value.valueType() == ConfigValueType.NULL) {
            throw new InvalidConfigException(key + ": expected a string, got " + value.valueType().name().toLowerCase());
        }
        return c.getString(key);
    }

    private static String logLevel(Config c, String key) {
        String level = nonEmptyString(c, key).toUpperCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw new InvalidConfigException(key + ": expected one of " + String.join(", ", LOG_LEVELS) + ", got "
                    + render(c.getValue(key)));
        }
        return level;
    }

    private static ReadFrom readFrom(Config c, String key) {
        try {
            return ReadFrom.parse(nonEmptyString(c, key));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(key + ": " + e.getMessage() + ", got \"" + c.getString(key) + "\"");
        }
    }

    /** {@code proxy}: true; {@code node}: false. */
    private static boolean busyScope(Config c, String key) {
        String scope = nonEmptyString(c, key).toLowerCase(Locale.ROOT);
        if (!scope.equals("proxy") && !scope.equals("node")) {
            throw new InvalidConfigException(key + ": expected proxy or node, got \"" + c.getString(key) + "\"");
        }
        return scope.equals("proxy");
    }

    private static Transport transport(Config c, String key) {
        try {
            return Transport.parse(nonEmptyString(c, key));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(key + ": " + e.getMessage());
        }
    }

    /** A list of host:port strings, or one comma-separated string (as an environment variable gives). */
    private static List<HostAndPort> seeds(Config c, String key) {
        ConfigValue value = c.getValue(key);
        List<String> items = new ArrayList<>();
        if (value.valueType() == ConfigValueType.LIST) {
            for (Object item : (List<?>) value.unwrapped()) {
                items.add(String.valueOf(item));
            }
        } else if (value.valueType() == ConfigValueType.STRING) {
            for (String item : ((String) value.unwrapped()).split(",")) {
                if (!item.isBlank()) {
                    items.add(item);
                }
            }
        } else {
            throw new InvalidConfigException(key + ": expected a list of host:port, got " + render(value));
        }
        if (items.isEmpty()) {
            throw new InvalidConfigException(key + ": at least one seed host:port is needed");
        }
        List<HostAndPort> seeds = new ArrayList<>();
        for (String item : items) {
            try {
                seeds.add(HostAndPort.parse(item));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(key + ": " + e.getMessage());
            }
        }
        return seeds;
    }

    private static String render(ConfigValue value) {
        Object raw = value.unwrapped();
        return raw instanceof String ? "\"" + raw + "\"" : String.valueOf(raw);
    }
}
