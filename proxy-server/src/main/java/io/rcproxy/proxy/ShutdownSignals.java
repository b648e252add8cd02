package io.rcproxy.proxy;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT for a process that must drain before it exits. The first signal starts
 * {@code shutdown} on a thread of its own; a second one halts the process at once with the shell's
 * status for that signal (128 + its number), for an operator who will not wait for the grace period.
 *
 * <p>Why not only a JVM shutdown hook: the JVM exits with status 143 after SIGTERM whatever the hooks do,
 * and ignores further signals while hooks run, so neither "exit 0 after a clean drain" nor "second signal
 * exits now" is possible with a hook alone. {@code sun.misc.Signal} (module jdk.unsupported) replaces the
 * JVM's own handling of these two signals. Where it cannot (the JVM runs with {@code -Xrs}, or the
 * signal is reserved), {@link #install} returns false and the caller's shutdown hook does the draining.
 *
 * <p>Threads: the JVM runs each handler call on a new thread; the flag makes the first one win.
 */
final class ShutdownSignals {

    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

    private ShutdownSignals() {
    }

    /** Handles TERM and INT; returns false when either could not be taken over. */
    static boolean install(Runnable shutdown) {
        AtomicBoolean received = new AtomicBoolean();
        boolean all = true;
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (received.compareAndSet(false, true)) {
                        log.info("SIG{} received: shutting down gracefully (send it again to stop at once)",
                                signal.getName());
                        Thread thread = new Thread(shutdown, "proxy-shutdown");
                        thread.start();
                    } else {
                        log.warn("SIG{} received again: stopping now", signal.getName());
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                log.debug("cannot handle SIG{}: {}", name, e.getMessage());
                all = false;
            }
        }
        return all;
    }
}
