package io.rcproxy.proxy.auth;

import io.rcproxy.proxy.command.CommandSpec;

/** Redis 7.0's texts for authentication and ACL refusals, without the leading {@code -}. Stateless. */
public final class AuthErrors {

    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String NO_PASSWORD_CONFIGURED = "ERR AUTH <password> called without any password "
            + "configured for the default user. Are you sure your configuration is correct?";
    public static final String NOPERM_KEYS = "NOPERM this user has no permissions to access one of the keys "
            + "used as arguments";

    public static final String NOPERM_CHANNELS = "NOPERM this user has no permissions to access one of the "
            + "channels used as arguments";

    private AuthErrors() {
    }

    public static String noPermission(CommandSpec spec) {
        return "NOPERM this user has no permissions to run the '" + spec.name() + "' command";
    }
}
