package io.rcproxy.cluster.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs nodes as child processes of the test JVM, using the {@code redis-server} found on
 * {@code PATH} (or named by the system property {@code rcproxy.redis-server}). Output goes to
 * {@code redis.log} in the node's directory. Thread-safe (stateless).
 */
final class LocalRedisLauncher implements RedisNodeLauncher {

    /** System property naming a redis-server binary, for machines where it is not on PATH. */
    static final String BINARY_PROPERTY = "rcproxy.redis-server";

    private final Path binary;

    private LocalRedisLauncher(Path binary) {
        this.binary = binary;
    }

    /** The launcher for the redis-server on this machine, if there is one. */
    static Optional<RedisNodeLauncher> find() {
        String configured = System.getProperty(BINARY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? Optional.of(new LocalRedisLauncher(path)) : Optional.empty();
        }
        String pathVariable = System.getenv("PATH");
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new LocalRedisLauncher(candidate));
            }
        }
        return Optional.empty();
    }

    @Override
    public RunningRedis launch(Path dir, List<String> redisArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(redisArgs);
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return new LocalProcess(process);
    }

    @Override
    public String description() {
        return "redis-server at " + binary;
    }

    /** A redis-server child process. */
    private record LocalProcess(Process process) implements RunningRedis {

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public boolean awaitExit(long timeoutMillis) throws InterruptedException {
            return process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
