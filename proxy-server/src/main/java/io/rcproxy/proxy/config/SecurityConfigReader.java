package io.rcproxy.proxy.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and checks {@code proxy.auth}, apart from the rest of the loader so the security settings have one
 * place. The users' rules themselves are checked when the users are built (they need the command table).
 */
final class SecurityConfigReader {

    private SecurityConfigReader() {
    }

    static SecurityConfig read(Config c) {
        String password = ProxyConfigLoader.string(c, "proxy.auth.password");
        String passwordFile = ProxyConfigLoader.string(c, "proxy.auth.password-file").trim();
        List<String> users = lines(c, "proxy.auth.users");
        if ((!password.isEmpty() || !passwordFile.isEmpty()) && users.stream().anyMatch(u -> u.matches("user\\s+default(\\s.*)?"))) {
            throw new InvalidConfigException("proxy.auth.users: defines the default user, and proxy.auth.password"
                    + " or password-file sets its password too: use one of them");
        }
        if (!password.isEmpty() && !passwordFile.isEmpty()) {
            throw new InvalidConfigException("proxy.auth.password-file: set together with proxy.auth.password; use one");
        }
        AuthConfig auth = new AuthConfig(password, passwordFile, users,
                ProxyConfigLoader.string(c, "proxy.auth.users-file").trim(),
                ProxyConfigLoader.duration(c, "proxy.auth.reload-interval", true),
                ProxyConfigLoader.duration(c, "proxy.auth.failure-delay", true),
                ProxyConfigLoader.intIn(c, "proxy.auth.max-failures-per-connection", 1, 1_000_000));
        return new SecurityConfig(auth);
    }

    private static List<String> lines(Config c, String key) {
        ConfigValue value = c.getValue(key);
        if (value.valueType() != ConfigValueType.LIST) {
            throw new InvalidConfigException(key + ": expected a list of \"user <name> <rules...>\" strings");
        }
        List<String> out = new ArrayList<>();
        for (Object item : (List<?>) value.unwrapped()) {
            String line = String.valueOf(item).trim();
            if (!line.startsWith("user ")) {
                throw new InvalidConfigException(key + ": expected \"user <name> <rules...>\", got an entry starting \""
                        + line.split("\\s+")[0] + "\"");
            }
            out.add(line);
        }
        return List.copyOf(out);
    }
}
