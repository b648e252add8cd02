package io.rcproxy.proxy;

import io.rcproxy.cluster.testkit.LoopbackPorts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A TLS-only Redis Cluster for tests: {@code masters} redis-server processes with {@code --port 0},
 * {@code --tls-port}, {@code --tls-cluster yes} (the bus is TLS too) and client certificates required,
 * announcing the hostname {@code localhost} as their preferred endpoint, formed by
 * {@code redis-cli --tls --cluster create}. The nodes' certificate names {@code localhost} only, not
 * 127.0.0.1, so a client that checks hostnames must dial the announced hostname.
 *
 * <p>{@link #close()} shuts every node down (by its port) and waits for it to exit.
 */
final class TlsRedisCluster implements AutoCloseable {

    private final Path dir;
    private final TestCertificates certs;
    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /** @param certs must hold CA {@code ca}, node certificate {@code node} and client certificate {@code client} */
    TlsRedisCluster(Path dir, TestCertificates certs) {
        this.dir = dir;
        this.certs = certs;
    }

    TlsRedisCluster start(int masters) throws IOException, InterruptedException {
        for (int i = 0; i < masters; i++) {
            int port = LoopbackPorts.reserve();
            Path nodeDir = Files.createDirectories(dir.resolve("node-" + port));
            List<String> args = new ArrayList<>(List.of("redis-server",
                    "--port", "0", "--tls-port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--tls-cert-file", certs.pem("node").toString(), "--tls-key-file", certs.key("node").toString(),
                    "--tls-ca-cert-file", certs.pem("ca").toString(), "--tls-cluster", "yes",
                    "--tls-replication", "yes", "--tls-auth-clients", "yes",
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "2000", "--cluster-announce-hostname", "localhost",
                    "--cluster-preferred-endpoint-type", "hostname",
                    "--save", "", "--appendonly", "no", "--dir", nodeDir.toString(),
                    "--logfile", nodeDir.resolve("redis.log").toString()));
            processes.add(new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(nodeDir.resolve("stdout.log").toFile()).start());
            ports.add(port);
        }
        for (int port : ports) {
            await(() -> cli(port, "PING").contains("PONG"), "node " + port + " answers");
        }
        List<String> create = new ArrayList<>(tlsCli());
        create.add("--cluster");
        create.add("create");
        for (int port : ports) {
            create.add("127.0.0.1:" + port);
        }
        create.add("--cluster-yes");
        run(create, 60);
        for (int port : ports) {
            await(() -> cli(port, "CLUSTER", "INFO").contains("cluster_state:ok"), "node " + port + " sees the cluster ok");
        }
        return this;
    }

    List<Integer> ports() {
        return ports;
    }

    /** host:port seeds for the proxy. */
    List<String> seeds(String host) {
        return ports.stream().map(p -> host + ":" + p).toList();
    }

    /** Runs a redis-cli command over TLS against {@code port}; returns its output. */
    String cli(int port, String... command) {
        List<String> args = new ArrayList<>(tlsCli());
        args.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(port)));
        args.addAll(List.of(command));
        try {
            return run(args, 20);
        } catch (IOException | InterruptedException | IllegalStateException e) {
            return "";
        }
    }

    private List<String> tlsCli() {
        return List.of("redis-cli", "--tls", "--cacert", certs.pem("ca").toString(),
                "--cert", certs.pem("client").toString(), "--key", certs.key("client").toString());
    }

    private String run(List<String> command, int seconds) throws IOException, InterruptedException {
        File out = Files.createTempFile(dir, "cli", ".out").toFile();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        String text = Files.readString(out.toPath());
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + text);
        }
        return text;
    }

    private interface Check {
        boolean ok();
    }

    private static void await(Check check, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("timed out waiting until " + what);
    }

    @Override
    public void close() {
        for (int port : ports) {
            cli(port, "SHUTDOWN", "NOSAVE");
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
