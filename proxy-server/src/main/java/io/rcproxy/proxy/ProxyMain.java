package io.rcproxy.proxy;

import io.rcproxy.cluster.ClusterUnavailableException;
import io.rcproxy.proxy.config.CommandLine;
import io.rcproxy.proxy.config.InvalidConfigException;
import io.rcproxy.proxy.config.LogLevel;
import io.rcproxy.proxy.config.ProxyConfig;
import io.rcproxy.proxy.config.ProxyConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: parse flags, load and check the configuration, start the proxy, stop it on SIGTERM. */
public final class ProxyMain {

    /** Exit code for a configuration the proxy cannot start with, or an unreachable cluster. */
    public static final int EXIT_BAD_CONFIG = 2;

    private static final Logger log = LoggerFactory.getLogger(ProxyMain.class);

    private ProxyMain() {
    }

    public static void main(String[] args) {
        ProxyConfig config;
        try {
            CommandLine commandLine = CommandLine.parse(args);
            if (commandLine.help()) {
                System.out.print(CommandLine.USAGE);
                return;
            }
            config = ProxyConfigLoader.load(commandLine.settings(), commandLine.configFile(), System.getenv());
        } catch (InvalidConfigException e) {
            System.err.println("redis-cluster-proxy: " + e.getMessage());
            System.exit(EXIT_BAD_CONFIG);
            return;
        }
        LogLevel.apply(config.logLevel());
        log.info("configuration: {}", config.describe());
        ProxyServer server;
        try {
            server = ProxyServer.start(config);
        } catch (ClusterUnavailableException e) {
            log.error("cannot start: {}", e.getMessage());
            System.exit(EXIT_BAD_CONFIG);
            return;
        } catch (RuntimeException e) {
            log.error("cannot start: {}", e.toString());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "proxy-shutdown"));
        server.awaitClose();
    }
}
