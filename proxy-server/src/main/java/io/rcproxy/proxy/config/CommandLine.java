package io.rcproxy.proxy.config;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The proxy's command-line flags. Each flag sets one configuration key, so flags, files and the
 * environment all meet in {@link ProxyConfigLoader} and are validated the same way.
 */
public record CommandLine(File configFile, Map<String, Object> settings, boolean help) {

    private static final Map<String, String> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("--bind", "proxy.listen.bind");
        FLAGS.put("--port", "proxy.listen.port");
        FLAGS.put("--seeds", "proxy.cluster.seeds");
        FLAGS.put("--connections-per-node", "proxy.cluster.connections-per-node");
        FLAGS.put("--command-timeout", "proxy.cluster.command-timeout");
        FLAGS.put("--fail-fast-startup", "proxy.cluster.fail-fast-startup");
        FLAGS.put("--event-loops", "proxy.io.event-loops");
        FLAGS.put("--transport", "proxy.io.transport");
        FLAGS.put("--log-level", "proxy.log.level");
    }

    public static final String USAGE = """
            Usage: java -jar redis-cluster-proxy.jar [options]

            A Redis Cluster proxy: clients speak plain Redis to it, it routes each command to the master
            that owns the command's slot.

            Options:
              --config FILE                 HOCON settings file (see conf/proxy.conf); flags override it
              --bind ADDR                   listen address (default 127.0.0.1)
              --port N                      listen port (default 6380)
              --seeds HOST:PORT[,HOST:PORT] cluster nodes to load the topology from (default 127.0.0.1:7001)
              --connections-per-node N      connections per master per event loop (default 1)
              --command-timeout DURATION    e.g. 5s or 500ms (default 5s)
              --fail-fast-startup BOOL      true: exit 2 when no seed answers at start-up (default false:
                                            listen at once and keep asking the seeds)
              --event-loops N               event loop threads, 0 = half the processors, at least 1 (default 0)
              --transport NAME              auto (io_uring, else epoll, else nio), io_uring, epoll or nio (default auto)
              --log-level LEVEL             TRACE, DEBUG, INFO, WARN, ERROR or OFF (default INFO)
              --help                        print this help and exit

            Environment: PROXY_BIND, PROXY_PORT, PROXY_SEEDS, PROXY_USERNAME, PROXY_PASSWORD, PROXY_LOG_LEVEL,
            PROXY_METRICS_BIND, PROXY_METRICS_PORT, PROXY_AUTH_PASSWORD, PROXY_AUTH_PASSWORD_FILE override the
            config file; flags override both. Passwords have no flag (a command line is visible to every local
            user): use the file, PROXY_PASSWORD (backend) or PROXY_AUTH_PASSWORD(_FILE) (clients of the proxy).
            """;

    /** Parses {@code args}; an unknown flag or a missing value is an {@link InvalidConfigException}. */
    public static CommandLine parse(String... args) {
        File config = null;
        Map<String, Object> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new CommandLine(null, Map.of(), true);
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!name.equals("--config") && !FLAGS.containsKey(name)) {
                throw new InvalidConfigException("unknown option " + arg + " (see --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new InvalidConfigException(name + ": a value is required");
                }
                value = args[++i];
            }
            if (name.equals("--config")) {
                config = new File(value);
            } else {
                settings.put(FLAGS.get(name), value);
            }
        }
        return new CommandLine(config, settings, false);
    }
}
