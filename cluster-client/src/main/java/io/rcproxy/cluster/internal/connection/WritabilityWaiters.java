package io.rcproxy.cluster.internal.connection;

import java.util.ArrayList;
import java.util.List;

/**
 * Callers waiting for a backend connection to drain its outbound buffer (a client paused while the
 * backend is slow). Each runs once, when the connection is writable again or goes down.
 *
 * <p>Thread: the connection's event loop.
 */
final class WritabilityWaiters {

    private final List<Runnable> waiting = new ArrayList<>(0);

    void add(Runnable waiter) {
        waiting.add(waiter);
    }

    void runAll() {
        if (!waiting.isEmpty()) {
            // A copy: a waiter may add itself again while running.
            List<Runnable> now = new ArrayList<>(waiting);
            waiting.clear();
            now.forEach(Runnable::run);
        }
    }
}
