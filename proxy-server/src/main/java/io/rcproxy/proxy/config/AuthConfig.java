package io.rcproxy.proxy.config;

import java.time.Duration;
import java.util.List;

/**
 * Who may use the proxy: {@code proxy.auth} in reference.conf. With none of the four sources set, the
 * default user has no password and may do everything (as Redis without {@code requirepass}).
 *
 * @param password           the default user's password ({@code requirepass}); empty for none. Never logged
 * @param passwordFile       a file whose first line is that password (a mounted secret); empty for none
 * @param users              ACL file lines, {@code user <name> <rules...>}; re-read with the config file
 * @param usersFile          a Redis ACL file, re-read when it changes and on {@code ACL LOAD}; empty for none
 * @param reloadInterval     how often the files (and the config file) are checked for changes; zero: only
 *                           {@code ACL LOAD}
 * @param failureDelay       how long a failed AUTH waits before its {@code -WRONGPASS} reply goes out
 * @param maxFailures        failed AUTH attempts one connection may make; the connection closes after the last
 */
public record AuthConfig(String password, String passwordFile, List<String> users, String usersFile,
                         Duration reloadInterval, Duration failureDelay, int maxFailures) {

    /** No authentication: the default user, no password, everything allowed. */
    public static final AuthConfig OPEN = new AuthConfig("", "", List.of(), "", Duration.ZERO,
            Duration.ofMillis(100), 10);

    /** Whether any source of users or passwords is set. */
    public boolean configured() {
        return !password.isEmpty() || !passwordFile.isEmpty() || !users.isEmpty() || !usersFile.isEmpty();
    }

    /** For the start-up log: which sources are set, never a password. */
    public String describe() {
        if (!configured()) {
            return "off (default user, no password)";
        }
        return (password.isEmpty() ? "" : "password=" + ProxyConfig.MASK + " ")
                + (passwordFile.isEmpty() ? "" : "password-file=" + passwordFile + " ")
                + (users.isEmpty() ? "" : "users=" + users.size() + " ")
                + (usersFile.isEmpty() ? "" : "users-file=" + usersFile + " ")
                + "reload-interval=" + reloadInterval.toMillis() + "ms failure-delay=" + failureDelay.toMillis()
                + "ms max-failures-per-connection=" + maxFailures;
    }

    @Override
    public String toString() {
        return "AuthConfig[" + describe() + "]";
    }
}
