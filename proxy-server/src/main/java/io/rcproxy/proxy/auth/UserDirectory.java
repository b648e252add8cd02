package io.rcproxy.proxy.auth;

import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.config.AuthConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the proxy's current {@link Users} come from and live: built from {@code proxy.auth} at start-up,
 * rebuilt from the password and users files, and the configuration file's {@code password} and
 * {@code users} ({@link AuthSource}), when they change (checked every {@code reload-interval} on a
 * thread of its own, since reading a file blocks) and on {@code ACL LOAD}. A reload that fails keeps the
 * users already loaded. Each successful reload is published through one volatile field and handed to the
 * listeners (the frontend, which moves every session to the new users on the session's own loop).
 *
 * <p>Thread-safe: {@link #users()} from any loop; {@link #reload()} on the reload thread (ACL LOAD goes
 * there too, through {@link #reloadLater()}), or any thread that may block.
 */
public final class UserDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UserDirectory.class);

    private final AuthConfig config;
    private final AuthSource source;
    private final CommandTable table;
    private final AuthMetrics metrics;
    private final List<Consumer<Users>> listeners = new CopyOnWriteArrayList<>();
    private volatile Users users;
    private volatile String lastSeen;
    private volatile ScheduledExecutorService watcher;

    /** Users from settings that never change, and the files they name. */
    public UserDirectory(AuthConfig config, CommandTable table, AuthMetrics metrics) {
        this(config, AuthSource.fixed(config), table, metrics);
    }

    /**
     * @param source where a reload reads {@code password} and {@code users} again (the config file)
     * @throws IllegalArgumentException when the users do not parse or a file cannot be read
     */
    public UserDirectory(AuthConfig config, AuthSource source, CommandTable table, AuthMetrics metrics) {
        this.config = config;
        this.source = source;
        this.table = table;
        this.metrics = metrics;
        this.lastSeen = fingerprint();
        this.users = load();
    }

    public AuthConfig config() {
        return config;
    }

    public AuthMetrics metrics() {
        return metrics;
    }

    public Users users() {
        return users;
    }

    CommandTable table() {
        return table;
    }

    /** Called with the new users after each successful reload, on the thread that reloaded. */
    public void onChange(Consumer<Users> listener) {
        listeners.add(listener);
    }

    /**
     * Starts the reload thread when there are files: it checks them every {@code reload-interval} (unless
     * zero) and runs {@link #reloadLater()}.
     */
    public synchronized void watch() {
        if (!hasFiles() || watcher != null) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "auth-reload");
            t.setDaemon(true);
            return t;
        });
        if (!config.reloadInterval().isZero()) {
            long every = config.reloadInterval().toMillis();
            watcher.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * ACL LOAD: reloads on the reload thread, since reading files blocks and an event loop must not.
     *
     * @return completes with null once the new users are in place, else with why the old ones stay
     */
    public CompletableFuture<String> reloadLater() {
        watch();
        ScheduledExecutorService executor = watcher;
        if (executor == null) {
            return CompletableFuture.completedFuture("nothing to reload: no users-file or password-file");
        }
        try {
            return CompletableFuture.supplyAsync(this::reload, executor);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.completedFuture("the proxy is shutting down");
        }
    }

    private void reloadIfChanged() {
        String now = fingerprint();
        if (!now.equals(lastSeen)) {
            lastSeen = now;
            String error = reload();
            if (error == null) {
                log.info("users reloaded from {}", sources());
            }
        }
    }

    /**
     * Rebuilds the users from the configuration and the files as they are now.
     *
     * @return null when the new users are in place, else why the old ones stay
     */
    public synchronized String reload() {
        Users next;
        try {
            next = load();
        } catch (RuntimeException e) { // a users file or the config file that no longer loads
            metrics.reload(false);
            log.warn("users not reloaded, the ones loaded before stay: {}", e.getMessage());
            return e.getMessage();
        }
        metrics.reload(true);
        replace(next);
        return null;
    }

    /** The users every session moves to. */
    private void replace(Users next) {
        users = next;
        for (Consumer<Users> listener : listeners) {
            listener.accept(next);
        }
    }

    /**
     * ACL SETUSER: {@code rules} applied after the user's current ones, left to right; a new user starts as
     * Redis's do (off, no password, no commands, keys or channels). In memory only, as in a Redis without
     * an ACL file: the next reload (ACL LOAD, a changed users file) or a restart goes back to the files.
     *
     * @return null once the user is in place, else the error in Redis's words
     */
    public synchronized String setUser(String name, List<String> rules) {
        ProxyUser current = users.get(name);
        List<String> all = new ArrayList<>();
        if (current != null) {
            List<String> words = List.of(current.describe().split(" "));
            all.addAll(words.subList(2, words.size())); // past "user <name>"
        }
        all.addAll(rules);
        ProxyUser next;
        try {
            next = AclRules.build(name, all, table);
        } catch (IllegalArgumentException e) {
            return "ERR Error in ACL SETUSER modifier: " + e.getMessage();
        }
        replace(users.with(next));
        return null;
    }

    /**
     * ACL DELUSER: removes the named users (the sessions authenticated as one are closed, as Redis closes
     * them); in memory only, as {@link #setUser}.
     *
     * @return how many existed, or -1 when {@code default} is named (nothing is removed then)
     */
    public synchronized int deleteUsers(List<String> names) {
        if (names.contains("default")) {
            return -1;
        }
        Users next = users.without(names);
        int removed = users.all().size() - next.all().size();
        if (removed > 0) {
            replace(next);
        }
        return removed;
    }

    /** Whether there is a file to reload from (ACL LOAD refuses otherwise, as Redis without an aclfile). */
    public boolean hasFiles() {
        return !config.usersFile().isEmpty() || !config.passwordFile().isEmpty() || source.watchedFile() != null;
    }

    private Users load() {
        AuthConfig now = source.current().get();
        String password = now.password().isEmpty() ? null : now.password();
        if (!config.passwordFile().isEmpty()) {
            List<String> lines = read(config.passwordFile(), "proxy.auth.password-file");
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new IllegalArgumentException("proxy.auth.password-file " + config.passwordFile() + " is empty");
            }
            password = lines.get(0);
        }
        List<String> userLines = new ArrayList<>(now.users());
        if (!config.usersFile().isEmpty()) {
            for (String line : read(config.usersFile(), "proxy.auth.users-file")) {
                String trimmed = line.trim();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    userLines.add(trimmed);
                }
            }
        }
        return Users.build(config, password, userLines, table);
    }

    private static List<String> read(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": cannot read " + file + ": " + e);
        }
    }

    /** The files' contents, hashed: changes when a file is rewritten or a Secret swapped, whatever its mtime. */
    private String fingerprint() {
        return stamp(config.usersFile()) + "/" + stamp(config.passwordFile()) + "/"
                + (source.watchedFile() == null ? "-" : stamp(source.watchedFile().getPath()));
    }

    private static String stamp(String file) {
        if (file.isEmpty()) {
            return "-";
        }
        try {
            return PasswordHash.of(Files.readAllBytes(Path.of(file))); // small files; a symlink swap is followed
        } catch (IOException e) {
            return "missing";
        }
    }

    private String sources() {
        return (config.usersFile() + " " + config.passwordFile() + " "
                + (source.watchedFile() == null ? "" : source.watchedFile())).trim();
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
