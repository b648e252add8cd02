package io.rcproxy.proxy.auth;

import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.config.AuthConfig;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The proxy's users at one moment: an immutable snapshot, replaced whole by a reload. Built from the
 * configuration's sources in order: the default user (open, or {@code requirepass}-style from
 * {@code password}/{@code password-file}, or off when only named users are configured), then
 * {@code users}, then {@code users-file}.
 *
 * <p>Immutable; read from every event loop.
 */
public final class Users {

    /** The default user when nothing is configured: Redis's own without requirepass. */
    static final String OPEN_DEFAULT = "user default on nopass ~* &* +@all";
    /** The default user when only named users are configured: clients must AUTH as one of them. */
    static final String CLOSED_DEFAULT = "user default off resetpass ~* &* +@all";

    private final Map<String, ProxyUser> byName;

    private Users(Map<String, ProxyUser> byName) {
        this.byName = byName;
    }

    /**
     * @param password     the default user's password, or null
     * @param passwordHash whether {@code password} is the default user's password as given
     * @param lines        {@code user ...} lines, the config's then the users file's
     * @throws IllegalArgumentException naming the user and rule at fault, or a user defined twice
     */
    static Users build(AuthConfig config, String password, List<String> lines, CommandTable table) {
        Map<String, ProxyUser> users = new TreeMap<>();
        if (password != null) {
            users.put("default", AclRules.build("default",
                    List.of("on", "#" + PasswordHash.of(password.getBytes(StandardCharsets.UTF_8)), "~*", "&*", "+@all"),
                    table));
        } else {
            users.put("default", AclRules.parseLine(config.configured() ? CLOSED_DEFAULT : OPEN_DEFAULT, table));
        }
        boolean defaultGiven = password != null;
        for (String line : lines) {
            ProxyUser user = AclRules.parseLine(line, table);
            if (user.name().equals("default")) {
                if (defaultGiven) {
                    throw new IllegalArgumentException("user 'default' is defined twice");
                }
                defaultGiven = true;
            } else if (users.containsKey(user.name())) {
                throw new IllegalArgumentException("user '" + user.name() + "' is defined twice");
            }
            users.put(user.name(), user);
        }
        return new Users(Map.copyOf(users));
    }

    /** Nothing configured: the open default user only. */
    public static Users open(CommandTable table) {
        return build(AuthConfig.OPEN, null, List.of(), table);
    }

    /** These users with {@code user} added, or in place of the one of its name. */
    Users with(ProxyUser user) {
        Map<String, ProxyUser> next = new TreeMap<>(byName);
        next.put(user.name(), user);
        return new Users(Map.copyOf(next));
    }

    /** These users without those named. */
    Users without(Collection<String> names) {
        Map<String, ProxyUser> next = new TreeMap<>(byName);
        next.keySet().removeAll(names);
        return new Users(Map.copyOf(next));
    }

    ProxyUser get(String name) {
        return byName.get(name);
    }

    ProxyUser defaultUser() {
        return byName.get("default");
    }

    /** The user a new connection is authenticated as: the default user when it is on and has nopass. */
    ProxyUser initial() {
        ProxyUser d = defaultUser();
        return d.enabled() && d.nopass() ? d : null;
    }

    /** Every user, by name. */
    Collection<ProxyUser> all() {
        return new TreeMap<>(byName).values();
    }
}
