package io.rcproxy.proxy.frontend;

import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.Routing;

/**
 * Which of one client's requests a replica may serve, when the proxy reads from replicas: a command the
 * table flags read-only, routed by its keys' slot, and not within the read-your-writes window after the
 * client's last write. The window is per client and covers every slot: a client that wrote anything reads
 * from the masters until it has not written for that long, so it always sees its own writes (replication
 * is asynchronous) at the price of some reads that a replica could have served.
 *
 * <p>Exists only when reads from replicas are on. Thread: the client's event loop.
 */
final class ReplicaReadRule {

    private final long windowNanos;
    /** Told of each read the window kept on the masters (a metric). */
    private final Runnable pinnedRead;
    private long lastWriteNanos;
    private boolean wrote;

    ReplicaReadRule(long windowNanos, Runnable pinnedRead) {
        this.windowNanos = windowNanos;
        this.pinnedRead = pinnedRead;
    }

    /**
     * Called for every request the client sends, in order; returns whether it may go to a replica (the
     * router still keeps it on the master when it has more than one slot or no readable replica).
     */
    boolean onRequest(CommandSpec spec, boolean write, long nowNanos) {
        if (write) {
            wrote = true;
            lastWriteNanos = nowNanos;
            return false;
        }
        if (spec == null || !spec.isReadonly()
                || (spec.routing() != Routing.SLOT && spec.routing() != Routing.FAN_OUT)) {
            return false; // scripts stay on the masters: EVALSHA bodies are loaded there
        }
        if (wrote && nowNanos - lastWriteNanos < windowNanos) {
            pinnedRead.run();
            return false;
        }
        return true;
    }
}
