package io.rcproxy.proxy;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A bounded SET/GET load through a proxy, recording every failed reply with its time and slot, so a fault
 * test can say which slots saw errors and when. Each worker is a thread with its own blocking connection;
 * it reconnects when the proxy closes it (counted as an error too). The load stops on {@link #close()} or
 * after {@code maxDuration}, whichever comes first.
 */
final class ClusterLoad implements AutoCloseable {

    /** One failed command: when (nanoTime), for which slot, and what the client saw. */
    record Failure(long atNanos, int slot, String message) {
    }

    private final int proxyPort;
    private final int keys;
    private final long deadlineNanos;
    private final List<Thread> workers = new ArrayList<>();
    private final List<List<Failure>> failures = new ArrayList<>();
    private final long[] completed;
    private volatile boolean stopped;

    private ClusterLoad(int proxyPort, int workerCount, int keys, Duration maxDuration) {
        this.proxyPort = proxyPort;
        this.keys = keys;
        this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
        this.completed = new long[workerCount];
        for (int w = 0; w < workerCount; w++) {
            List<Failure> own = new ArrayList<>();
            failures.add(own);
            int index = w;
            Thread thread = new Thread(() -> run(index, own), "cluster-load-" + w);
            thread.setDaemon(true);
            workers.add(thread);
        }
    }

    /** Starts {@code workerCount} workers over keys {@code load:0 .. load:(keys-1)}. */
    static ClusterLoad start(int proxyPort, int workerCount, int keys, Duration maxDuration) {
        ClusterLoad load = new ClusterLoad(proxyPort, workerCount, keys, maxDuration);
        load.workers.forEach(Thread::start);
        return load;
    }

    static String key(int i) {
        return "load:" + i;
    }

    static int slotOf(String key) {
        return SlotHash.slot(key.getBytes(StandardCharsets.UTF_8));
    }

    private void run(int index, List<Failure> own) {
        RedisTestConnection connection = null;
        long n = 0;
        try {
            while (!stopped && System.nanoTime() < deadlineNanos) {
                String key = key(ThreadLocalRandom.current().nextInt(keys));
                try {
                    if (connection == null) {
                        connection = RedisTestConnection.open("127.0.0.1", proxyPort, Duration.ofSeconds(15));
                    }
                    Object reply = (n & 1) == 0 ? connection.callRaw("SET", key, "v" + n) : connection.callRaw("GET", key);
                    if (reply instanceof RedisErrorReply error) {
                        synchronized (own) {
                            own.add(new Failure(System.nanoTime(), slotOf(key), error.message()));
                        }
                    }
                } catch (UncheckedIOException | IllegalStateException e) {
                    synchronized (own) {
                        own.add(new Failure(System.nanoTime(), slotOf(key), "connection: " + e.getMessage()));
                    }
                    if (connection != null) {
                        connection.close();
                        connection = null;
                    }
                    sleepQuietly(10);
                }
                n++;
                synchronized (own) {
                    completed[index] = n;
                }
            }
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Commands done so far, all workers together. */
    long completed() {
        long total = 0;
        for (int w = 0; w < completed.length; w++) {
            synchronized (failures.get(w)) {
                total += completed[w];
            }
        }
        return total;
    }

    /** Every failure so far, in time order. */
    List<Failure> failures() {
        List<Failure> all = new ArrayList<>();
        for (List<Failure> own : failures) {
            synchronized (own) {
                all.addAll(own);
            }
        }
        all.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
        return all;
    }

    /** Stops the workers and waits for them (each finishes its command in flight). */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
