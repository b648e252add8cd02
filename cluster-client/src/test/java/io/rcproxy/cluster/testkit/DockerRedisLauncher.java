package io.rcproxy.cluster.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.utility.DockerImageName;

/**
 * Runs each node as its own {@code redis:7.0} container with host networking, for machines that
 * have Docker but no redis-server. Host networking keeps the fixture identical to the local one:
 * the nodes listen on host loopback ports chosen by {@link LoopbackPorts}, and the addresses they
 * announce in {@code CLUSTER SLOTS} are the ones a test (or the proxy) can dial. It needs a Linux
 * Docker engine; Docker Desktop's VM does not share the host's loopback.
 *
 * <p>The node's directory is bind-mounted as {@code /data}, so {@code nodes.conf} survives a
 * restart (a new container on the same port and directory) exactly as with a local process. The
 * container runs as the owner of that directory: the image's entrypoint would otherwise
 * {@code chown} it to its own redis user, and the test JVM could no longer delete it.
 *
 * <p>Only this class touches Testcontainers, so the fixture still loads where Testcontainers is
 * not on the test classpath. Ryuk removes the containers if the JVM dies. Thread-safe.
 */
final class DockerRedisLauncher implements RedisNodeLauncher {

    private static final DockerImageName IMAGE = DockerImageName.parse("redis:7.0");

    private DockerRedisLauncher() {
    }

    /** The Docker launcher, if Testcontainers is on the classpath and finds a Docker engine. */
    static Optional<RedisNodeLauncher> findIfAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable()
                    ? Optional.of(new DockerRedisLauncher())
                    : Optional.empty();
        } catch (LinkageError | RuntimeException e) {
            // No Testcontainers on this module's test classpath, or no usable Docker configuration.
            return Optional.empty();
        }
    }

    @Override
    @SuppressWarnings("resource") // the container is stopped through the returned RunningRedis
    public RunningRedis launch(Path dir, List<String> redisArgs) throws IOException {
        Path log = dir.resolve("redis.log");
        List<String> command = new ArrayList<>();
        command.add("redis-server");
        command.addAll(redisArgs);
        String owner = Files.getAttribute(dir, "unix:uid") + ":" + Files.getAttribute(dir, "unix:gid");
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                .withNetworkMode("host")
                .withFileSystemBind(dir.toAbsolutePath().toString(), "/data", BindMode.READ_WRITE)
                .withWorkingDirectory("/data")
                .withCreateContainerCmdModifier(cmd -> cmd.withUser(owner))
                .withCommand(command.toArray(String[]::new))
                .withLogConsumer(frame -> append(log, frame))
                .withStartupTimeout(Duration.ofSeconds(60));
        try {
            container.start();
        } catch (RuntimeException e) {
            // Typically the server exited at once (port taken); the caller reads redis.log to decide.
            container.stop();
            return new ContainerProcess(container);
        }
        return new ContainerProcess(container);
    }

    @Override
    public String description() {
        return "Docker image " + IMAGE + " with host networking";
    }

    private static void append(Path log, OutputFrame frame) {
        byte[] bytes = frame.getBytes();
        if (bytes == null) {
            return;
        }
        try {
            Files.write(log, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // The log is a diagnostic aid; losing a line must not fail the test.
        }
    }

    /** One node's container. */
    private record ContainerProcess(GenericContainer<?> container) implements RunningRedis {

        @Override
        public boolean isAlive() {
            try {
                return container.isRunning();
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        public boolean awaitExit(long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (isAlive()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(100);
            }
            // The server is gone; remove the stopped container as well.
            container.stop();
            return true;
        }

        @Override
        public void kill() {
            container.stop();
        }
    }
}
