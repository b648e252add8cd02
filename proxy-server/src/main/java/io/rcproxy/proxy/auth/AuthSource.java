package io.rcproxy.proxy.auth;

import io.rcproxy.proxy.config.AuthConfig;
import java.io.File;
import java.util.function.Supplier;

/**
 * Where a reload finds {@code proxy.auth}'s {@code password} and {@code users} as they are now: the
 * configuration file read again (the proxy's {@code --config}), or the start-up settings when there is no
 * file to read. The other keys (file paths, delays) keep their start-up values.
 *
 * @param current     the settings now; throws (any runtime exception, its message logged) when the file
 *                    no longer loads, and the users loaded before stay
 * @param watchedFile the file whose changes trigger a reload, or null
 */
public record AuthSource(Supplier<AuthConfig> current, File watchedFile) {

    /** Settings that never change: no file. */
    public static AuthSource fixed(AuthConfig config) {
        return new AuthSource(() -> config, null);
    }
}
