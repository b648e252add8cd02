package io.rcproxy.proxy;

import io.rcproxy.cluster.ClusterUnavailableException;
import io.rcproxy.proxy.auth.AuthSource;
import io.rcproxy.proxy.config.CommandLine;
import io.rcproxy.proxy.config.InvalidConfigException;
import io.rcproxy.proxy.config.LogLevel;
import io.rcproxy.proxy.config.ProxyConfig;
import io.rcproxy.proxy.config.ProxyConfigLoader;
import io.rcproxy.proxy.config.ProxyStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: parse flags, load and check the configuration, start the proxy; on SIGTERM or SIGINT drain
 * in-flight requests within the grace period and exit 0 (a second signal exits at once).
 */
public final class ProxyMain {

    /** Exit code for a configuration the proxy cannot start with, or an unreachable cluster. */
    public static final int EXIT_BAD_CONFIG = 2;

    private static final Logger log = LoggerFactory.getLogger(ProxyMain.class);

    private ProxyMain() {
    }

    /** Reloads of the users read the config file again, with the same flags and environment over it. */
    private static AuthSource authSource(CommandLine commandLine, ProxyConfig config) {
        if (commandLine.configFile() == null) {
            return AuthSource.fixed(config.security().auth());
        }
        return new AuthSource(() -> ProxyConfigLoader.load(commandLine.settings(), commandLine.configFile(),
                System.getenv()).security().auth(), commandLine.configFile());
    }

    public static void main(String[] args) {
        ProxyConfig config;
        AuthSource authSource;
        try {
            CommandLine commandLine = CommandLine.parse(args);
            if (commandLine.help()) {
                System.out.print(CommandLine.USAGE);
                return;
            }
            config = ProxyConfigLoader.load(commandLine.settings(), commandLine.configFile(), System.getenv());
            authSource = authSource(commandLine, config);
        } catch (InvalidConfigException e) {
            System.err.println("redis-cluster-proxy: " + e.getMessage());
            System.exit(EXIT_BAD_CONFIG);
            return;
        }
        LogLevel.apply(config.logLevel());
        log.info("configuration: {}", config.describe());
        ProxyServer server;
        try {
            server = ProxyServer.start(config, authSource);
        } catch (ClusterUnavailableException e) {
            log.error("cannot start: {}", e.getMessage());
            System.exit(EXIT_BAD_CONFIG);
            return;
        } catch (ProxyStartException e) {
            log.error("cannot start: {}", e.getMessage());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            log.error("cannot start: {}", e.toString());
            System.exit(1);
            return;
        }
        // SIGTERM/SIGINT drain and then exit 0 through ShutdownSignals; the hook covers any other way the
        // JVM stops (System.exit elsewhere, or signals that could not be taken over) with the same drain.
        ShutdownSignals.install(server::shutdown);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "proxy-shutdown-hook"));
        server.awaitClose();
        System.exit(0);
    }
}
