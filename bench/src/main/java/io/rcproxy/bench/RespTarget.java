package io.rcproxy.bench;

import io.rcproxy.cluster.topology.HostAndPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plain RESP to one address: the proxy, or (target {@code single}) one stand-alone redis-server, which
 * shows what the load generator itself can do. Each worker is a platform thread with its own blocking
 * {@link RespConnection}: it writes {@code pipeline} commands, then reads their replies, then repeats.
 * Latency is measured from the write to each reply.
 */
final class RespTarget implements Target {

    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final int PRELOAD_BATCH = 200;

    private final String name;
    private final HostAndPort address;
    private final int pipeline;
    private final int timeoutMillis;
    private final boolean preloads;
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param preloads whether {@link #preload} writes the keys through this address (a single server must;
     *                 the proxy's cluster is preloaded directly)
     */
    RespTarget(String name, HostAndPort address, int pipeline, int timeoutMillis, boolean preloads) {
        this.name = name;
        this.address = address;
        this.pipeline = pipeline;
        this.timeoutMillis = timeoutMillis;
        this.preloads = preloads;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "plain RESP to " + address + ", one blocking socket per worker thread, " + pipeline
                + " command(s) written then their replies read";
    }

    @Override
    public void preload(KeySpace keys) throws IOException {
        if (!preloads) {
            return;
        }
        try (RespConnection connection = new RespConnection(address.host(), address.port(), timeoutMillis)) {
            for (int from = 0; from < keys.size(); from += PRELOAD_BATCH) {
                int to = Math.min(keys.size(), from + PRELOAD_BATCH);
                for (int i = from; i < to; i++) {
                    connection.append(SET, keys.key(i), keys.value());
                }
                connection.flush();
                for (int i = from; i < to; i++) {
                    String error = connection.readReply();
                    if (error != null) {
                        throw new IOException("preload SET through " + address + " failed: " + error);
                    }
                }
            }
        }
    }

    @Override
    public void start(Operation operation, KeySpace keys, LoadWindow window) throws IOException {
        List<RespConnection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < window.workerCount(); i++) {
                connections.add(new RespConnection(address.host(), address.port(), timeoutMillis));
            }
        } catch (IOException e) {
            for (RespConnection c : connections) {
                c.close();
            }
            throw new IOException("cannot connect to " + name + " at " + address + ": " + e.getMessage(), e);
        }
        threads.clear();
        for (int i = 0; i < window.workerCount(); i++) {
            int index = i;
            RespConnection connection = connections.get(i);
            Thread thread = new Thread(() -> work(index, connection, operation, keys, window), name + "-worker-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void work(int index, RespConnection connection, Operation operation, KeySpace keys, LoadWindow window) {
        WorkerStats stats = window.stats(index);
        SplittableRandom random = new SplittableRandom(2000L + index);
        boolean[] gets = new boolean[pipeline];
        long sent = 0;
        try (connection) {
            while (!window.stopping() && sent < window.maxOpsPerWorker()) {
                for (int p = 0; p < pipeline; p++) {
                    gets[p] = operation.nextIsGet(random);
                    byte[] key = keys.randomKey(random);
                    if (gets[p]) {
                        connection.append(GET, key);
                    } else {
                        connection.append(SET, key, keys.value());
                    }
                }
                long start = System.nanoTime();
                connection.flush();
                sent += pipeline;
                for (int p = 0; p < pipeline; p++) {
                    String error = connection.readReply();
                    long end = System.nanoTime();
                    if (error != null) {
                        stats.error(error);
                    } else if (gets[p] && connection.lastBulkLength() < 0) {
                        stats.error("GET returned nil: key not preloaded");
                    } else if (window.measuring()) {
                        stats.record(start, end);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // The connection is unusable; the error is counted and this worker stops.
            stats.error(name + " worker " + index + ": " + e);
        } finally {
            window.workerFinished();
        }
    }

    @Override
    public void close() {
        for (Thread thread : threads) {
            try {
                thread.join(timeoutMillis + 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
