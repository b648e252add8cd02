package io.rcproxy.proxy.auth;

import io.rcproxy.proxy.command.AclCategory;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds a {@link ProxyUser} from Redis ACL rules, applied left to right as {@code ACL SETUSER} does, over
 * Redis's starting point for a new user (off, no password, no commands, no keys):
 * {@code on off nopass resetpass >pw <pw #hash !hash ~pat %R~pat %W~pat %RW~pat allkeys resetkeys
 * +cmd -cmd +cmd|sub -cmd|sub +@cat -@cat &pattern allchannels resetchannels allcommands nocommands reset}.
 * A new user has no channels, as with Redis 7.0's default {@code acl-pubsub-default resetchannels}.
 * Selectors and first-argument rules are refused rather than accepted and not enforced.
 *
 * <p>Runs when the users are loaded, never per request; not thread-safe, one per user being built.
 */
final class AclRules {

    private final String user;
    private final CommandTable table;
    private final int specCount;
    private boolean enabled;
    private boolean nopass;
    private final List<String> hashes = new ArrayList<>();
    private long[] allowed;
    private String commandBase = "-@all";
    private final List<String> commandRules = new ArrayList<>();
    private final List<KeyPattern> keys = new ArrayList<>();
    private boolean allKeys;
    private final List<GlobPattern> channels = new ArrayList<>();
    private boolean allChannels;
    private final List<String> otherFlags = new ArrayList<>();

    private AclRules(String user, CommandTable table) {
        this.user = user;
        this.table = table;
        this.specCount = table.specs().size();
        this.allowed = new long[(specCount + 63) / 64];
    }

    /**
     * One {@code user <name> <rules...>} line, as in a Redis ACL file.
     *
     * @throws IllegalArgumentException saying which rule is wrong and why
     */
    static ProxyUser parseLine(String line, CommandTable table) {
        String[] words = line.trim().split("\\s+");
        if (words.length < 2 || !words[0].equals("user")) {
            throw new IllegalArgumentException("expected 'user <name> <rules...>': " + redacted(words));
        }
        return build(words[1], List.of(words).subList(2, words.length), table);
    }

    /** @throws IllegalArgumentException saying which rule is wrong and why */
    static ProxyUser build(String name, List<String> rules, CommandTable table) {
        if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("bad user name '" + name + "'");
        }
        AclRules builder = new AclRules(name, table);
        for (String rule : rules) {
            try {
                builder.apply(rule);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("user '" + name + "', rule '" + redacted(rule) + "': "
                        + e.getMessage());
            }
        }
        return builder.user();
    }

    private ProxyUser user() {
        String rules = commandRules.isEmpty() ? commandBase : commandBase + " " + String.join(" ", commandRules);
        return new ProxyUser(user, enabled, nopass, List.copyOf(hashes), allowed, rules, List.copyOf(keys),
                allKeys, List.copyOf(channels), allChannels, List.copyOf(otherFlags));
    }

    private void apply(String rule) {
        String lower = rule.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "on" -> enabled = true;
            case "off" -> enabled = false;
            case "nopass" -> {
                nopass = true;
                hashes.clear();
            }
            case "resetpass" -> {
                nopass = false;
                hashes.clear();
            }
            case "allkeys" -> allKeys();
            case "resetkeys" -> {
                allKeys = false;
                keys.clear();
            }
            case "allchannels" -> channel("*");
            case "resetchannels" -> {
                allChannels = false;
                channels.clear();
            }
            case "allcommands" -> allCommands(true);
            case "nocommands" -> allCommands(false);
            case "skip-sanitize-payload", "sanitize-payload" -> {
                otherFlags.remove("skip-sanitize-payload");
                otherFlags.remove("sanitize-payload");
                otherFlags.add(lower);
            }
            case "reset" -> {
                enabled = false;
                nopass = false;
                hashes.clear();
                allKeys = false;
                keys.clear();
                allChannels = false;
                channels.clear();
                allCommands(false);
            }
            default -> applyWithArgument(rule, lower);
        }
    }

    private void applyWithArgument(String rule, String lower) {
        char first = rule.charAt(0);
        String rest = rule.substring(1);
        if (first == '>') {
            addHash(PasswordHash.of(rest.getBytes(StandardCharsets.UTF_8)));
        } else if (first == '<') {
            removeHash(PasswordHash.of(rest.getBytes(StandardCharsets.UTF_8)));
        } else if (first == '#' || first == '!') {
            if (!PasswordHash.isHash(rest)) {
                throw new IllegalArgumentException("The password hash must be exactly 64 characters and contain "
                        + "only lowercase hexadecimal characters");
            }
            if (first == '#') {
                addHash(rest.toLowerCase(Locale.ROOT));
            } else {
                removeHash(rest.toLowerCase(Locale.ROOT));
            }
        } else if (first == '~') {
            keyPattern(rest, KeyPattern.READ | KeyPattern.WRITE);
        } else if (first == '%') {
            int tilde = rule.indexOf('~');
            String access = tilde < 0 ? "" : lower.substring(1, tilde);
            int bits = (access.contains("r") ? KeyPattern.READ : 0) | (access.contains("w") ? KeyPattern.WRITE : 0);
            if (tilde < 0 || bits == 0 || !access.replace("r", "").replace("w", "").isEmpty()) {
                throw new IllegalArgumentException("Syntax error: expected %R~, %W~ or %RW~ before the pattern");
            }
            keyPattern(rule.substring(tilde + 1), bits);
        } else if (first == '&') {
            channel(rest);
        } else if (first == '+' || first == '-') {
            commandRule(first == '+', lower.substring(1), rule);
        } else if (first == '(') {
            throw new IllegalArgumentException("selectors are not supported by the proxy");
        } else {
            throw new IllegalArgumentException("Syntax error");
        }
    }

    private void addHash(String hash) {
        nopass = false;
        if (!hashes.contains(hash)) {
            hashes.add(hash);
        }
    }

    private void removeHash(String hash) {
        nopass = false;
        if (!hashes.remove(hash)) {
            throw new IllegalArgumentException("no such password");
        }
    }

    private void allKeys() {
        allKeys = true;
        keys.clear();
    }

    private void keyPattern(String pattern, int access) {
        if (pattern.equals("*") && access == (KeyPattern.READ | KeyPattern.WRITE)) {
            allKeys();
        } else if (!allKeys) {
            keys.add(new KeyPattern(new GlobPattern(pattern), access));
        }
    }

    private void channel(String pattern) {
        if (pattern.equals("*")) {
            allChannels = true;
            channels.clear();
        } else if (!allChannels) {
            channels.add(new GlobPattern(pattern));
        }
    }

    private void allCommands(boolean on) {
        java.util.Arrays.fill(allowed, 0);
        if (on) {
            for (int id = 0; id < specCount; id++) {
                set(id, true);
            }
        }
        commandBase = on ? "+@all" : "-@all";
        commandRules.clear();
    }

    private void commandRule(boolean allow, String what, String rule) {
        if (what.startsWith("@")) {
            String category = what.substring(1);
            if (category.equals("all")) {
                allCommands(allow);
                return;
            }
            AclCategory c = AclCategory.fromRedisName(category);
            if (c == null) {
                throw new IllegalArgumentException("Unknown command category '" + category + "'");
            }
            for (CommandSpec spec : table.specs()) {
                if (spec.in(c)) {
                    set(spec.id(), allow);
                }
            }
        } else {
            CommandSpec spec = table.lookup(what);
            if (spec == null) {
                throw new IllegalArgumentException(what.contains("|") && table.lookup(what.split("\\|")[0]) != null
                        && !table.lookup(what.split("\\|")[0]).container()
                        ? "first-argument rules (+select|0) are not supported by the proxy" : "Unknown command");
            }
            set(spec.id(), allow);
            if (spec.container()) {
                String prefix = spec.name() + "|";
                for (CommandSpec sub : table.specs()) {
                    if (sub.name().startsWith(prefix)) {
                        set(sub.id(), allow);
                    }
                }
            }
        }
        commandRules.add(rule.charAt(0) + rule.substring(1).toLowerCase(Locale.ROOT));
    }

    private void set(int id, boolean on) {
        if (on) {
            allowed[id >>> 6] |= 1L << id;
        } else {
            allowed[id >>> 6] &= ~(1L << id);
        }
    }

    /** A rule as it may appear in an error message: never a clear-text password. */
    private static String redacted(String rule) {
        return rule.startsWith(">") || rule.startsWith("<") ? rule.charAt(0) + "***" : rule;
    }

    private static String redacted(String[] words) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            out.add(redacted(w));
        }
        return String.join(" ", out);
    }
}
