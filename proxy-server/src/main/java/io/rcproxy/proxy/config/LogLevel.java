package io.rcproxy.proxy.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code proxy.log.level} to the root Logback logger at start-up. logback.xml already reads
 * {@code PROXY_LOG_LEVEL} for the lines logged before the configuration is loaded; this makes the config
 * file and the flags count too. Called once, from main, before anything else starts.
 */
public final class LogLevel {

    private LogLevel() {
    }

    /**
     * Sets the root logger's level; {@code level} is one of {@link ProxyConfigLoader#LOG_LEVELS}. Returns
     * false, changing nothing, when SLF4J is not bound to Logback (e.g. the proxy embedded elsewhere).
     */
    public static boolean apply(String level) {
        if (!ProxyConfigLoader.LOG_LEVELS.contains(level)) {
            throw new IllegalArgumentException("unknown log level " + level);
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return false;
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level));
        return true;
    }

    /** The root logger's level now, or null when SLF4J is not bound to Logback. */
    public static String current() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return null;
        }
        return context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel().toString();
    }
}
