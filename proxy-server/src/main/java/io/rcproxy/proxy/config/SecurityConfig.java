package io.rcproxy.proxy.config;

/**
 * Everything about who may connect and how: client authentication ({@code proxy.auth}).
 *
 * @param auth the proxy's users and passwords
 */
public record SecurityConfig(AuthConfig auth) {

    public static final SecurityConfig OPEN = new SecurityConfig(AuthConfig.OPEN);

    String describe() {
        return "auth=" + auth.describe();
    }
}
