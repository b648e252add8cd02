package io.rcproxy.cluster.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Starts one {@code redis-server} with given arguments, its working directory being a node's own
 * directory (where {@code nodes.conf} and {@code redis.log} live). Two implementations: a local
 * process ({@link LocalRedisLauncher}) and a host-networked container ({@link DockerRedisLauncher})
 * for machines without redis-server. Implementations are thread-safe.
 */
interface RedisNodeLauncher {

    /** Starts the server; returns once it was launched, not once it accepts connections. */
    RunningRedis launch(Path dir, List<String> redisArgs) throws IOException;

    /** What runs the nodes, for messages ("redis-server at /usr/bin/redis-server"). */
    String description();

    /** The launcher this machine supports: local redis-server first, then Docker, else empty. */
    static Optional<RedisNodeLauncher> detect() {
        Optional<RedisNodeLauncher> local = LocalRedisLauncher.find();
        if (local.isPresent()) {
            return local;
        }
        try {
            return DockerRedisLauncher.findIfAvailable();
        } catch (LinkageError noTestcontainers) {
            // Loading DockerRedisLauncher itself fails where Testcontainers is not a test dependency.
            return Optional.empty();
        }
    }

    /** A started server: the fixture polls it and stops it. */
    interface RunningRedis {

        boolean isAlive();

        /** Waits up to {@code timeoutMillis} for the server to exit; true if it has. */
        boolean awaitExit(long timeoutMillis) throws InterruptedException;

        /** Ends the server without asking it (last resort, and for cleanup after a failed start). */
        void kill();
    }
}
