package io.rcproxy.proxy;

import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load on one key through a proxy, for failover tests: readers GET a key whose value they know,
 * a writer INCRs a counter and counts the increments acknowledged, so a test can say that no read failed
 * or saw another value and that no acknowledged write was lost. Each worker is a thread with its own
 * connection; it stops on {@link #close()}, after {@code maxDuration} or after {@code maxOps}.
 */
final class KeyLoad implements AutoCloseable {

    private final List<Thread> workers = new ArrayList<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong increments = new AtomicLong();
    private final long deadlineNanos;
    private final long maxOps;
    private volatile boolean stopped;

    private KeyLoad(Duration maxDuration, long maxOps) {
        this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
        this.maxOps = maxOps;
    }

    /** {@code readers} threads reading {@code key} (expected to hold {@code value}), and a writer when {@code counter} is not null. */
    static KeyLoad start(RunningProxy proxy, int readers, String key, String value, String counter,
                         Duration maxDuration) {
        KeyLoad load = new KeyLoad(maxDuration, 200_000);
        for (int i = 0; i < readers; i++) {
            load.workers.add(new Thread(() -> load.read(proxy, key, value), "key-load-reader-" + i));
        }
        if (counter != null) {
            load.workers.add(new Thread(() -> load.increment(proxy, counter), "key-load-writer"));
        }
        for (Thread worker : load.workers) {
            worker.setDaemon(true);
            worker.start();
        }
        return load;
    }

    private boolean running(long done) {
        return !stopped && done < maxOps && System.nanoTime() < deadlineNanos;
    }

    private void read(RunningProxy proxy, String key, String value) {
        try (RedisTestConnection c = proxy.connect()) {
            for (long done = 0; running(done); done++) {
                Object reply = c.callRaw("GET", key);
                if (reply instanceof byte[] bulk && value.equals(new String(bulk, StandardCharsets.UTF_8))) {
                    reads.incrementAndGet();
                } else {
                    failures.add("GET " + key + ": " + describe(reply));
                }
            }
        } catch (RuntimeException e) {
            failures.add("reader: " + e);
        }
    }

    private void increment(RunningProxy proxy, String counter) {
        try (RedisTestConnection c = proxy.connect()) {
            for (long done = 0; running(done); done++) {
                Object reply = c.callRaw("INCR", counter);
                if (reply instanceof Long) {
                    increments.incrementAndGet();
                } else {
                    failures.add("INCR " + counter + ": " + describe(reply));
                }
            }
        } catch (RuntimeException e) {
            failures.add("writer: " + e);
        }
    }

    private static String describe(Object reply) {
        if (reply instanceof RedisErrorReply error) {
            return "-" + error.message();
        }
        return reply instanceof byte[] bulk ? new String(bulk, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    long reads() {
        return reads.get();
    }

    /** Increments the proxy acknowledged so far. */
    long increments() {
        return increments.get();
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread worker : workers) {
            worker.join(15_000);
        }
    }
}
