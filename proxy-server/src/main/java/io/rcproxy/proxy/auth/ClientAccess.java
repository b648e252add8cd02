package io.rcproxy.proxy.auth;

import io.rcproxy.proxy.command.CommandFlag;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.RedisErrors;
import java.nio.charset.StandardCharsets;

/**
 * One client connection's authentication state: the user it is authenticated as (none yet, until AUTH,
 * when the default user has a password or is off), how many times AUTH failed on it, and the check every
 * request passes before it is routed ({@link #denial}).
 *
 * <p>The check costs one field read for a client whose user may run everything on every key and channel
 * (the default user without a password, or any {@code allkeys allchannels +@all} user): that is every client
 * of a proxy without authentication. Otherwise one bit read per command, indexed by the command's id, and,
 * only for users with key or channel patterns, a match of each key (or pub/sub channel) in place.
 *
 * <p>Thread: the client's event loop. {@link #rebind} runs there too, posted by the reload.
 */
public final class ClientAccess {

    private final UserDirectory directory;
    private ProxyUser user;
    /** The user may run everything on every key: no check at all. */
    private boolean unrestricted;
    private int failures;

    public ClientAccess(UserDirectory directory) {
        this.directory = directory;
        become(directory.users().initial());
    }

    private void become(ProxyUser next) {
        user = next;
        unrestricted = next != null && next.unrestricted();
    }

    /**
     * Why the request may not run, in Redis's words ({@code NOAUTH}, {@code NOPERM}), or null when it may.
     * AUTH, HELLO, QUIT and RESET (Redis's no_auth commands) always may. Allocates only when refusing.
     */
    public String denial(CommandSpec spec, RedisRequest request) {
        if (unrestricted || spec.has(CommandFlag.NO_AUTH)) {
            return null;
        }
        ProxyUser u = user;
        String refusal = u == null ? AuthErrors.NOAUTH
                : !u.allows(spec) ? AuthErrors.noPermission(spec)
                : u.checksKeys() && !u.keysAllowed(spec, request) ? AuthErrors.NOPERM_KEYS
                : u.checksChannels() && u.deniedChannelIndex(spec, request) >= 0 ? AuthErrors.NOPERM_CHANNELS
                : null;
        // Redis checks the arity first: a request it would refuse for that gets that error, even before AUTH.
        return refusal == null || spec.acceptsArgCount(request.argCount()) ? refusal : RedisErrors.wrongArity(spec);
    }

    /**
     * AUTH and HELLO's AUTH option: the one check of a user name and password. On success the connection
     * is that user's from its next command on.
     *
     * @param username null for {@code AUTH <password>} (the default user)
     * @return null on success, else the error to answer: {@code WRONGPASS}, or for {@code AUTH <password>}
     *         while the default user has no password, Redis's "called without any password configured"
     */
    public String authenticate(String username, byte[] password) {
        Users users = directory.users();
        if (username == null) {
            ProxyUser d = users.defaultUser();
            if (d.nopass() && d.enabled()) {
                return AuthErrors.NO_PASSWORD_CONFIGURED;
            }
            username = "default";
        }
        ProxyUser candidate = users.get(username);
        if (candidate != null && candidate.enabled() && candidate.acceptsPassword(password)) {
            become(candidate);
            return null;
        }
        failures++;
        directory.metrics().failure();
        return AuthErrors.WRONGPASS;
    }

    /** As {@link #authenticate(String, byte[])}, for arguments already decoded. */
    public String authenticate(String username, String password) {
        return authenticate(username, password.getBytes(StandardCharsets.UTF_8));
    }

    /** RESET: back to the user a new connection starts as (not authenticated, when AUTH is required). */
    public void reset() {
        become(directory.users().initial());
    }

    /** Failed attempts so far on this connection. */
    public int failures() {
        return failures;
    }

    /** Whether this connection has used up its failed attempts and must be closed. */
    public boolean failedTooOften() {
        return failures >= directory.config().maxFailures();
    }

    /** How long a failed attempt's reply waits, in milliseconds (the brute-force delay). */
    public long failureDelayMillis() {
        return directory.config().failureDelay().toMillis();
    }

    /** The user this connection acts as: {@code default} before AUTH, as CLIENT LIST and ACL WHOAMI say. */
    public String username() {
        return user == null ? "default" : user.name();
    }

    boolean authenticated() {
        return user != null;
    }

    ProxyUser user() {
        return user;
    }

    UserDirectory directory() {
        return directory;
    }

    /**
     * The users were reloaded: take the new version of this connection's user.
     *
     * @param subscribed whether the connection has subscriptions, which were allowed by the old channel rules
     * @return false when that user is gone or turned off, or its channel rules changed under a subscriber (as
     *         Redis disconnects such subscribers): the caller closes the connection
     */
    public boolean rebind(Users users, boolean subscribed) {
        if (user == null) {
            return true; // not authenticated: nothing to lose; a later AUTH sees the new users
        }
        ProxyUser next = users.get(user.name());
        boolean channelsChanged = next != null && subscribed && !next.channelRules().equals(user.channelRules());
        if (next == null || !next.enabled() || channelsChanged) {
            become(null);
            return false;
        }
        become(next);
        return true;
    }
}
