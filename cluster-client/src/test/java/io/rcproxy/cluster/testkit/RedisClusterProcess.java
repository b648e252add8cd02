package io.rcproxy.cluster.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real Redis Cluster for tests: {@code masters} masters, each with {@code replicasPerMaster}
 * replicas, every node a {@code redis-server} on its own free 127.0.0.1 port with its own
 * temporary directory ({@code nodes.conf}, {@code redis.log}). Nodes run as child processes, or as
 * host-networked containers when redis-server is missing and Docker is present. The cluster is
 * formed from Java (see {@link ClusterFormation}) and {@link #start()} returns once it has settled
 * (see {@link ClusterReadiness}).
 *
 * <p>Typical use: the shared cluster from {@link RedisClusterExtension}, or a private one for a
 * destructive test:
 * <pre>{@code
 * try (RedisClusterProcess cluster = RedisClusterProcess.startNew(3, 1)) {
 *     cluster.stopNode(cluster.masterPorts().get(0));
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops every server this instance started and deletes its directories; it is
 * idempotent and also runs from a JVM shutdown hook, so an aborted test run leaves no servers
 * behind. Meant for one test thread at a time; only {@code close()} may race with it (the hook).
 */
public final class RedisClusterProcess implements AutoCloseable {

    /** Every node listens here, and only here. */
    public static final String HOST = "127.0.0.1";
    /** Number of hash slots in a Redis Cluster. */
    public static final int SLOTS = 16384;
    /** Masters of the shared cluster and the default. */
    public static final int DEFAULT_MASTERS = 5;

    private static final long SETTLE_TIMEOUT_MILLIS = 30_000;

    private final int masterCount;
    private final int replicasPerMaster;
    /** Port for the first master, reserved ahead by {@link #reserveFirstPort()}; 0 for any free one. */
    private volatile int firstPort;
    private final RedisNodeLauncher launcher;
    private final String password;
    /** Masters first, then replicas grouped by master; copy-on-write because the shutdown hook iterates it. */
    private final List<ClusterNode> nodes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::close, "redis-cluster-process-shutdown");
    private volatile Path root;

    /** A cluster not yet started; uses local redis-server if on PATH, else Docker. */
    public RedisClusterProcess(int masters, int replicasPerMaster) {
        this(masters, replicasPerMaster, null);
    }

    /**
     * A cluster whose nodes require {@code password} ({@code requirepass}, and {@code masterauth} so
     * replicas can sync); null for none. The fixture's own connections authenticate, as do those from
     * {@link #connect(int)}.
     */
    public RedisClusterProcess(int masters, int replicasPerMaster, String password) {
        if (password != null && password.isEmpty()) {
            throw new IllegalArgumentException("password: null for none, not empty");
        }
        if (masters < 1 || masters > SLOTS || replicasPerMaster < 0) {
            throw new IllegalArgumentException("masters=" + masters + ", replicasPerMaster=" + replicasPerMaster);
        }
        this.masterCount = masters;
        this.replicasPerMaster = replicasPerMaster;
        this.password = password;
        this.launcher = DetectedLauncher.LAUNCHER.orElseThrow(() -> new IllegalStateException(unavailableReason()));
    }

    /** Starts a new private cluster; the caller closes it (try-with-resources). */
    public static RedisClusterProcess startNew(int masters, int replicasPerMaster) {
        return new RedisClusterProcess(masters, replicasPerMaster).start();
    }

    /** Starts a new private cluster whose nodes require {@code password}; the caller closes it. */
    public static RedisClusterProcess startNew(int masters, int replicasPerMaster, String password) {
        return new RedisClusterProcess(masters, replicasPerMaster, password).start();
    }

    /** Whether {@link #start()} has been called (the cluster may have been stopped since). */
    public boolean isStarted() {
        return started.get();
    }

    /** The password the nodes require, or null. */
    public String password() {
        return password;
    }

    /** Whether this machine can run a cluster: redis-server on PATH, or a Docker engine. */
    public static boolean isAvailable() {
        return DetectedLauncher.LAUNCHER.isPresent();
    }

    /** Why no cluster can run here, with the install hint, for failure messages. */
    public static String unavailableReason() {
        String configured = System.getProperty(LocalRedisLauncher.BINARY_PROPERTY);
        String where = configured == null || configured.isBlank()
                ? "not on PATH, nor set by -D" + LocalRedisLauncher.BINARY_PROPERTY
                : "-D" + LocalRedisLauncher.BINARY_PROPERTY + "=" + configured + " is not an executable file";
        return "No real Redis can be started: redis-server is missing (" + where
                + ") and no Docker engine is available. Install it with: "
                + "sudo apt-get update && sudo apt-get install -y redis-server redis-tools "
                + "(or run scripts/install-redis.sh).";
    }

    /**
     * Reserves the port the first master will listen on, before {@link #start()}: a client or proxy can then
     * be pointed at a cluster that does not exist yet. (Should the port be taken by then, the node moves.)
     */
    public int reserveFirstPort() {
        if (started.get()) {
            throw new IllegalStateException("already started");
        }
        if (firstPort == 0) {
            firstPort = LoopbackPorts.reserve();
        }
        return firstPort;
    }

    /** Starts and forms the cluster, returning once it has settled; cleans up after itself on failure. */
    public RedisClusterProcess start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            root = Files.createTempDirectory("rcproxy-cluster-");
            int total = masterCount * (1 + replicasPerMaster);
            for (int i = 0; i < total; i++) {
                ClusterNode node = new ClusterNode(root.resolve("node-" + i), password);
                nodes.add(node);
                node.startOnFreePort(launcher, i == 0 ? firstPort : 0);
            }
            ClusterFormation.form(nodes.subList(0, masterCount), nodes.subList(masterCount, total),
                    replicasPerMaster, SETTLE_TIMEOUT_MILLIS);
            ClusterReadiness.await(nodes, SETTLE_TIMEOUT_MILLIS, this);
            return this;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String logs = root == null ? "" : " (node logs under " + root + " before cleanup)";
            close();
            throw e instanceof RedisTestException r ? r : new RedisTestException("cluster start failed" + logs, e);
        }
    }

    /** Ports of the nodes that are masters now and running, ascending (roles change on failover). */
    public List<Integer> masterPorts() {
        List<Integer> ports = new ArrayList<>();
        for (ClusterNodesEntry entry : liveNodes()) {
            if (entry.isMaster() && entry.isHealthy() && node(entry.port()).isRunning()) {
                ports.add(entry.port());
            }
        }
        ports.sort(null);
        return ports;
    }

    /** Ports of the nodes that are replicas now and running, ascending. */
    public List<Integer> replicaPorts() {
        List<Integer> ports = new ArrayList<>();
        for (ClusterNodesEntry entry : liveNodes()) {
            if (!entry.isMaster() && entry.isHealthy() && node(entry.port()).isRunning()) {
                ports.add(entry.port());
            }
        }
        ports.sort(null);
        return ports;
    }

    /** Ports of the running replicas that follow the master on {@code masterPort}, ascending. */
    public List<Integer> replicaPortsOf(int masterPort) {
        String masterId = nodeId(masterPort);
        List<Integer> ports = new ArrayList<>();
        for (ClusterNodesEntry entry : liveNodes()) {
            if (masterId.equals(entry.masterId()) && node(entry.port()).isRunning()) {
                ports.add(entry.port());
            }
        }
        ports.sort(null);
        return ports;
    }

    /** Ports of every node this cluster manages, running or stopped, in start order (masters first). */
    public List<Integer> allPorts() {
        return nodes.stream().map(ClusterNode::port).toList();
    }

    /** {@code 127.0.0.1:port} of every running node, for seeding a client or the proxy. */
    public List<String> seeds() {
        return nodes.stream().filter(ClusterNode::isRunning).map(n -> HOST + ":" + n.port()).toList();
    }

    /** The 40-character cluster node id of the node on {@code port}; stable across restarts. */
    public String nodeId(int port) {
        return node(port).id();
    }

    /** The node's directory ({@code nodes.conf}, {@code redis.log}), for diagnostics. */
    public Path nodeDirectory(int port) {
        return node(port).dir();
    }

    /** The current {@code CLUSTER SLOTS} view of a running node, sorted by start slot. */
    public List<SlotRange> slotRanges() {
        try (RedisTestConnection c = anyRunningNode().connect()) {
            return SlotRange.fromClusterSlots(c.call("CLUSTER", "SLOTS"));
        }
    }

    /** The port of the master serving {@code slot}, as a running node sees it now. */
    public int portOwningSlot(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("slot " + slot);
        }
        for (SlotRange range : slotRanges()) {
            if (range.contains(slot)) {
                return range.masterPort();
            }
        }
        throw new RedisTestException("no node serves slot " + slot);
    }

    /** A new blocking connection to the node on {@code port}, authenticated if needed; the caller closes it. */
    public RedisTestConnection connect(int port) {
        return node(port).connect();
    }

    /** Stops one node with {@code SHUTDOWN NOSAVE} and waits for it to exit. Does not wait for failover. */
    public void stopNode(int port) {
        try {
            node(port).stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisTestException("interrupted while stopping " + port, e);
        }
    }

    /**
     * Kills one node with SIGKILL ({@code kill -9}): no shutdown, no goodbye to its peers, as a crashed
     * host would. Returns once the process is gone; does not wait for failover.
     */
    public void killNode(int port) {
        try {
            node(port).killAndAwaitExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisTestException("interrupted while killing " + port, e);
        }
    }

    /**
     * Starts a stopped node again on the same port and directory, so it rejoins with its own
     * {@code nodes.conf}, then waits until the cluster has settled.
     */
    public void restartNode(int port) {
        try {
            node(port).restart(launcher);
            awaitClusterOk();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisTestException("interrupted while restarting " + port, e);
        }
    }

    /** Waits (up to 30 s) until the running nodes report {@code cluster_state:ok} and agree on the slots. */
    public void awaitClusterOk() {
        try {
            ClusterReadiness.await(nodes, SETTLE_TIMEOUT_MILLIS, this);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisTestException("interrupted while waiting for " + this, e);
        }
    }

    /** Stops every node this instance started and deletes its directories. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (ClusterNode node : nodes) {
            try {
                node.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                node.kill();
            } catch (RuntimeException e) {
                node.kill();
            }
        }
        deleteRecursively(root);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException alreadyShuttingDownOrNeverAdded) {
            // Either we are the hook, or start() failed before adding it.
        }
    }

    @Override
    public String toString() {
        return "redis cluster of " + masterCount + " masters x " + replicasPerMaster + " replicas on ports "
                + allPorts() + " (" + launcher.description() + ")";
    }

    /** The redis-server arguments of every node; only the port differs. */
    static List<String> serverArgs(int port, String password) {
        List<String> args = new ArrayList<>(List.of(
                "--port", Integer.toString(port),
                "--bind", HOST,
                "--protected-mode", "no",
                "--cluster-enabled", "yes",
                "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "2000",
                "--cluster-require-full-coverage", "no",
                // Nodes announce the address the tests and the proxy dial, not one guessed from a peer.
                "--cluster-announce-ip", HOST,
                // Replicas sync at once; the default waits 5 s for more replicas to share one transfer.
                "--repl-diskless-sync-delay", "0",
                // CLUSTER SLOTS omits a replica until its replication offset leaves 0; on an idle master
                // only the master's replication PING moves it, every 10 s by default.
                "--repl-ping-replica-period", "1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no"));
        if (password != null) {
            args.addAll(List.of("--requirepass", password, "--masterauth", password));
        }
        return args;
    }

    private ClusterNode node(int port) {
        for (ClusterNode node : nodes) {
            if (node.port() == port) {
                return node;
            }
        }
        throw new IllegalArgumentException("no node of this cluster on port " + port + "; ports are " + allPorts());
    }

    private ClusterNode anyRunningNode() {
        Optional<ClusterNode> running = nodes.stream().filter(ClusterNode::isRunning).findFirst();
        return running.orElseThrow(() -> new IllegalStateException("no node of " + this + " is running"));
    }

    private List<ClusterNodesEntry> liveNodes() {
        try (RedisTestConnection c = anyRunningNode().connect()) {
            return ClusterNodesEntry.parse(c.callText("CLUSTER", "NODES"));
        }
    }

    /** Detects once per JVM: asking Docker whether it runs can take a while. */
    private static final class DetectedLauncher {
        static final Optional<RedisNodeLauncher> LAUNCHER = RedisNodeLauncher.detect();
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // Leftover files in the temp dir are harmless; a stray server would not be.
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
