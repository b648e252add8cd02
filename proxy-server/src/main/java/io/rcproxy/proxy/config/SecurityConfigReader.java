package io.rcproxy.proxy.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and checks {@code proxy.auth}, {@code proxy.tls} and {@code proxy.cluster.tls}, apart from the rest of the loader so the security settings have one
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
        return new SecurityConfig(auth, clientTls(c), backendTls(c));
    }

    private static final java.util.List<String> CLIENT_AUTH = java.util.List.of("none", "optional", "require");
    private static final java.util.List<String> PROVIDERS = java.util.List.of("auto", "jdk", "openssl");

    private static ClientTlsConfig clientTls(Config c) {
        int port = ProxyConfigLoader.intIn(c, "proxy.tls.port", 0, 65535);
        String cert = ProxyConfigLoader.string(c, "proxy.tls.cert-file").trim();
        String key = ProxyConfigLoader.string(c, "proxy.tls.key-file").trim();
        String ca = ProxyConfigLoader.string(c, "proxy.tls.client-ca-file").trim();
        String clientAuth = oneOf(c, "proxy.tls.client-auth", CLIENT_AUTH);
        if (port != 0 && (cert.isEmpty() || key.isEmpty())) {
            throw new InvalidConfigException("proxy.tls.port: TLS needs proxy.tls.cert-file and proxy.tls.key-file");
        }
        if (!clientAuth.equals("none") && ca.isEmpty()) {
            throw new InvalidConfigException("proxy.tls.client-auth: " + clientAuth
                    + " needs proxy.tls.client-ca-file, the CA bundle client certificates are checked against");
        }
        return new ClientTlsConfig(port, cert, key, ca, clientAuth, strings(c, "proxy.tls.protocols", false),
                strings(c, "proxy.tls.ciphers", true), oneOf(c, "proxy.tls.provider", PROVIDERS),
                ProxyConfigLoader.duration(c, "proxy.tls.reload-interval", true),
                ProxyConfigLoader.duration(c, "proxy.tls.handshake-timeout", false));
    }

    private static BackendTlsConfig backendTls(Config c) {
        boolean enabled = ProxyConfigLoader.bool(c, "proxy.cluster.tls.enabled");
        String cert = ProxyConfigLoader.string(c, "proxy.cluster.tls.cert-file").trim();
        String key = ProxyConfigLoader.string(c, "proxy.cluster.tls.key-file").trim();
        if (cert.isEmpty() != key.isEmpty()) {
            throw new InvalidConfigException("proxy.cluster.tls.cert-file: a client certificate needs both "
                    + "cert-file and key-file");
        }
        return new BackendTlsConfig(enabled, ProxyConfigLoader.string(c, "proxy.cluster.tls.ca-file").trim(),
                ProxyConfigLoader.bool(c, "proxy.cluster.tls.verify-peer"),
                ProxyConfigLoader.bool(c, "proxy.cluster.tls.verify-hostname"), cert, key,
                strings(c, "proxy.tls.protocols", false), strings(c, "proxy.tls.ciphers", true),
                oneOf(c, "proxy.tls.provider", PROVIDERS));
    }

    private static String oneOf(Config c, String key, java.util.List<String> allowed) {
        String value = ProxyConfigLoader.nonEmptyString(c, key).toLowerCase(java.util.Locale.ROOT);
        if (!allowed.contains(value)) {
            throw new InvalidConfigException(key + ": expected one of " + String.join(", ", allowed) + ", got \""
                    + value + "\"");
        }
        return value;
    }

    private static List<String> strings(Config c, String key, boolean emptyAllowed) {
        ConfigValue value = c.getValue(key);
        List<String> out = new ArrayList<>();
        if (value.valueType() == ConfigValueType.LIST) {
            for (Object item : (List<?>) value.unwrapped()) {
                out.add(String.valueOf(item).trim());
            }
        } else if (value.valueType() == ConfigValueType.STRING) {
            for (String item : ((String) value.unwrapped()).split(",")) {
                if (!item.isBlank()) {
                    out.add(item.trim());
                }
            }
        } else {
            throw new InvalidConfigException(key + ": expected a list of strings");
        }
        if (out.isEmpty() && !emptyAllowed) {
            throw new InvalidConfigException(key + ": must not be empty");
        }
        return List.copyOf(out);
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
