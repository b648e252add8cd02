package io.rcproxy.cluster.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One redis-server of a test cluster: its directory (holding {@code nodes.conf} and
 * {@code redis.log}), its port, and the server currently running there, if any.
 *
 * <p>The port is chosen at the first start and kept for restarts, so a restarted node rejoins
 * with its own {@code nodes.conf}. Used by the test thread; {@link #kill()} may also run on the
 * JVM shutdown hook, hence the volatile fields.
 */
final class ClusterNode {

    private static final long READY_TIMEOUT_MILLIS = 15_000;

    private final Path dir;
    /** {@code requirepass}/{@code masterauth} of the node, or null for none. */
    private final String password;
    private volatile int port;
    private volatile String id;
    private volatile RedisNodeLauncher.RunningRedis server;

    ClusterNode(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    String id() {
        return id;
    }

    boolean isRunning() {
        RedisNodeLauncher.RunningRedis s = server;
        return s != null && s.isAlive();
    }

    /** A new connection, already authenticated when the node requires a password. */
    RedisTestConnection connect() {
        RedisTestConnection connection = RedisTestConnection.open(RedisClusterProcess.HOST, port);
        if (password != null) {
            try {
                connection.call("AUTH", password);
            } catch (RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    /**
     * First start: tries fresh ports until one binds, because a port probed free can be taken by
     * another process before redis-server binds it.
     */
    void startOnFreePort(RedisNodeLauncher launcher) throws IOException, InterruptedException {
        startOnFreePort(launcher, 0);
    }

    /** As {@link #startOnFreePort(RedisNodeLauncher)}, trying {@code preferredPort} first when it is not 0. */
    void startOnFreePort(RedisNodeLauncher launcher, int preferredPort) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Files.createDirectories(dir);
            port = attempt == 1 && preferredPort > 0 ? preferredPort : LoopbackPorts.reserve();
            if (launchAndAwaitPing(launcher)) {
                id = new String((byte[]) callOnce("CLUSTER", "MYID"), StandardCharsets.UTF_8);
                return;
            }
            String log = logTail();
            if (attempt >= 5 || !log.contains("Address already in use")) {
                throw new RedisTestException("redis-server on port " + port + " did not start; " + dir
                        + "/redis.log ends with:\n" + log);
            }
            // Start over clean: a nodes.conf naming the old port must not survive, nor the old log line.
            Files.deleteIfExists(dir.resolve("nodes.conf"));
            Files.deleteIfExists(dir.resolve("redis.log"));
        }
    }

    /** Restart on the same port and directory; the node reads its {@code nodes.conf} back. */
    void restart(RedisNodeLauncher launcher) throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("node on port " + port + " is still running");
        }
        if (!launchAndAwaitPing(launcher)) {
            throw new RedisTestException("redis-server on port " + port + " did not restart; " + dir
                    + "/redis.log ends with:\n" + logTail());
        }
    }

    /** Asks the server to stop ({@code SHUTDOWN NOSAVE}) and waits for it to exit; kills it if it will not. */
    void stop() throws InterruptedException {
        RedisNodeLauncher.RunningRedis s = server;
        if (s == null) {
            return;
        }
        if (s.isAlive()) {
            try (RedisTestConnection connection = connect()) {
                // Redis closes the connection instead of replying when the shutdown succeeds.
                connection.sendRaw(RedisTestConnection.command("SHUTDOWN", "NOSAVE"));
                connection.isClosedByPeer();
            } catch (UncheckedIOException e) {
                // Already unreachable; the exit wait below decides.
            }
            if (!s.awaitExit(10_000)) {
                s.kill();
            }
        }
        server = null;
    }

    /** SIGKILL, as a crash would end it, and waits for the process to be gone. */
    void killAndAwaitExit() throws InterruptedException {
        RedisNodeLauncher.RunningRedis s = server;
        if (s != null) {
            s.kill();
            if (!s.awaitExit(10_000)) {
                throw new RedisTestException("redis-server on port " + port + " survived SIGKILL for 10 s");
            }
            server = null;
        }
    }

    /** Ends the server without asking; for cleanup paths that must not block long. */
    void kill() {
        RedisNodeLauncher.RunningRedis s = server;
        server = null;
        if (s != null) {
            s.kill();
        }
    }

    String logTail() {
        try {
            byte[] bytes = Files.readAllBytes(dir.resolve("redis.log"));
            int from = Math.max(0, bytes.length - 2000);
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no redis.log: " + e + ")";
        }
    }

    private boolean launchAndAwaitPing(RedisNodeLauncher launcher) throws IOException, InterruptedException {
        RedisNodeLauncher.RunningRedis s = launcher.launch(dir, RedisClusterProcess.serverArgs(port, password));
        server = s;
        long deadline = System.nanoTime() + READY_TIMEOUT_MILLIS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (!s.isAlive()) {
                server = null;
                return false;
            }
            try {
                if ("PONG".equals(callOnce("PING"))) {
                    return true;
                }
            } catch (UncheckedIOException | RedisTestException notYet) {
                // Not listening yet (or still loading): poll again.
            }
            Thread.sleep(20);
        }
        kill();
        throw new RedisTestException("redis-server on port " + port + " did not answer PING within "
                + READY_TIMEOUT_MILLIS + " ms; " + dir + "/redis.log ends with:\n" + logTail());
    }

    private Object callOnce(String... args) {
        try (RedisTestConnection connection = connect()) {
            return connection.call(args);
        }
    }

    static List<String> idsOf(List<ClusterNode> nodes) {
        return nodes.stream().map(ClusterNode::id).toList();
    }
}
