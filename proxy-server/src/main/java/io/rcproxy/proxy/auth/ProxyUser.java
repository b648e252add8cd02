package io.rcproxy.proxy.auth;

import io.rcproxy.proxy.command.AclCategory;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.protocol.RedisRequest;
import java.util.List;

/**
 * One of the proxy's users, as its ACL rules made it: whether it is enabled, its password hashes, the
 * commands it may run as one bit per command (indexed by {@link CommandSpec#id()}, so the check on every
 * request is one array read) and, when it does not have {@code allkeys}, its key patterns.
 *
 * <p>Immutable; shared by every event loop. A reload builds new users; sessions move to them on their own
 * loop (see {@link ClientAccess#rebind}).
 *
 * @param commandRules the command rules as ACL LIST shows them: {@code +@all}, or {@code -@all} then the rest
 * @param channelPatterns the pub/sub channels the user may publish and subscribe to, unless {@code allChannels}
 */
record ProxyUser(String name, boolean enabled, boolean nopass, List<String> passwordHashes, long[] allowed,
                 String commandRules, List<KeyPattern> keyPatterns, boolean allKeys, List<GlobPattern> channelPatterns,
                 boolean allChannels, List<String> otherFlags) {

    /** Whether the user may run the command of {@code spec} (its keys aside). */
    boolean allows(CommandSpec spec) {
        int id = spec.id();
        return (allowed[id >>> 6] & (1L << id)) != 0;
    }

    /** True when every command is allowed on every key and channel: the per-request check is skipped. */
    boolean unrestricted() {
        return allKeys && allChannels && commandRules.equals("+@all");
    }

    boolean checksChannels() {
        return !allChannels;
    }

    /**
     * The argument index of the first channel the user may not publish or subscribe to, or -1. As Redis:
     * PUBLISH and SPUBLISH name one channel, SUBSCRIBE and SSUBSCRIBE several, each matched against the
     * patterns; a PSUBSCRIBE pattern must equal one of the patterns; unsubscribing is never refused.
     */
    int deniedChannelIndex(CommandSpec spec, RedisRequest request) {
        if (!spec.in(AclCategory.PUBSUB) || request.argCount() < 2) {
            return -1;
        }
        int last;
        boolean literal = false;
        switch (spec.name()) {
            case "publish", "spublish" -> last = 1;
            case "subscribe", "ssubscribe" -> last = request.argCount() - 1;
            case "psubscribe" -> {
                last = request.argCount() - 1;
                literal = true;
            }
            default -> {
                return -1;
            }
        }
        for (int arg = 1; arg <= last; arg++) {
            if (!channelAllowed(request, arg, literal)) {
                return arg;
            }
        }
        return -1;
    }

    private boolean channelAllowed(RedisRequest request, int arg, boolean literal) {
        for (GlobPattern pattern : channelPatterns) {
            boolean match = literal ? pattern.text().equals(request.argString(arg))
                    : pattern.matches(request.frame(), request.argOffset(arg), request.argLength(arg));
            if (match) {
                return true;
            }
        }
        return false;
    }

    /** The channel rules as ACL LIST shows them: {@code &*}, each pattern, or {@code resetchannels}. */
    String channelRules() {
        if (allChannels) {
            return "&*";
        }
        if (channelPatterns.isEmpty()) {
            return "resetchannels";
        }
        StringBuilder out = new StringBuilder();
        for (GlobPattern p : channelPatterns) {
            out.append(out.length() == 0 ? "&" : " &").append(p.text());
        }
        return out.toString();
    }

    boolean checksKeys() {
        return !allKeys;
    }

    /**
     * Whether every key of the request matches a pattern granting the access the command needs: a write
     * command's keys need write access, a read-only command's read access, any other both. Runs only for
     * users with key patterns; reads the keys in place.
     */
    boolean keysAllowed(CommandSpec spec, RedisRequest request) {
        return deniedKeyIndex(spec, request) < 0;
    }

    /** The first key the user may not access (for ACL DRYRUN), or null. */
    String deniedKey(CommandSpec spec, RedisRequest request) {
        int arg = deniedKeyIndex(spec, request);
        return arg < 0 ? null : request.argString(arg);
    }

    private int deniedKeyIndex(CommandSpec spec, RedisRequest request) {
        int count = spec.acceptsArgCount(request.argCount()) ? spec.keys().keyCount(request) : 0;
        if (count <= 0) {
            return -1; // no keys, or an arity or numkeys error the command will answer with next
        }
        int needed = spec.isWrite() ? KeyPattern.WRITE
                : spec.isReadonly() ? KeyPattern.READ : KeyPattern.READ | KeyPattern.WRITE;
        for (int n = 0; n < count; n++) {
            int arg = spec.keys().keyIndex(request, n);
            if (!keyAllowed(request, arg, needed)) {
                return arg;
            }
        }
        return -1;
    }

    private boolean keyAllowed(RedisRequest request, int arg, int needed) {
        for (KeyPattern pattern : keyPatterns) {
            if ((pattern.access() & needed) == needed
                    && pattern.glob().matches(request.frame(), request.argOffset(arg), request.argLength(arg))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code password} is one of the user's (any will do for a {@code nopass} user). */
    boolean acceptsPassword(byte[] password) {
        if (nopass) {
            return true;
        }
        String hash = PasswordHash.of(password);
        boolean match = false;
        for (String known : passwordHashes) {
            match |= PasswordHash.same(known, hash); // every hash compared: the time says nothing
        }
        return match;
    }

    /** The key rules as ACL LIST shows them: {@code ~*}, or each pattern, or {@code resetkeys}. */
    String keyRules() {
        if (allKeys) {
            return "~*";
        }
        if (keyPatterns.isEmpty()) {
            return "resetkeys";
        }
        StringBuilder out = new StringBuilder();
        for (KeyPattern p : keyPatterns) {
            out.append(out.length() == 0 ? "" : " ").append(p.describe());
        }
        return out.toString();
    }

    /** The user as one ACL LIST line: {@code user alice on #<hash> ~app:* &* -@all +get}. */
    String describe() {
        StringBuilder out = new StringBuilder("user ").append(name).append(enabled ? " on" : " off");
        if (nopass) {
            out.append(" nopass");
        }
        for (String flag : otherFlags) {
            out.append(' ').append(flag);
        }
        for (String hash : passwordHashes) {
            out.append(" #").append(hash);
        }
        return out.append(' ').append(keyRules()).append(' ').append(channelRules()).append(' ')
                .append(commandRules).toString();
    }
}
