package io.rcproxy.cluster.internal.connection;

import io.netty.channel.EventLoop;
import io.rcproxy.cluster.internal.Backoff;
import io.rcproxy.cluster.topology.ClusterNode;
import java.util.function.Consumer;

/**
 * The K connections one event loop keeps to one node. A caller picks one by an affinity number (the proxy
 * uses the client's id): Redis executes the commands of one connection in order, so keeping each client on
 * one connection per node keeps its pipeline in order, while different clients spread over all K.
 * Confined to its loop: no other thread ever touches it.
 */
public final class NodePool {

    private final ClusterNode node;
    private final NodeConnection[] connections;

    public NodePool(ClusterNode node, EventLoop loop, LoopFlusher flusher, int size, ConnectionOptions options,
                    NodeConnection.Listener listener) {
        if (size < 1) {
            throw new IllegalArgumentException("connections per node must be at least 1");
        }
        this.node = node;
        this.connections = new NodeConnection[size];
        for (int i = 0; i < size; i++) {
            connections[i] = NodeConnection.open(node, loop, flusher, options,
                    ReconnectPolicy.after(Backoff.RECONNECT), listener);
        }
    }

    public ClusterNode node() {
        return node;
    }

    /**
     * The connection for {@code affinity} (any non-negative number). While it is down, the next usable one
     * stands in, so a broken connection costs order only in the moment of failure, not availability.
     */
    public NodeConnection connection(int affinity) {
        int n = connections.length;
        int first = affinity % n;
        NodeConnection preferred = connections[first];
        if (preferred.isUsable()) {
            return preferred;
        }
        for (int i = 1; i < n; i++) {
            NodeConnection candidate = connections[(first + i) % n];
            if (candidate.isUsable()) {
                return candidate;
            }
        }
        return preferred;
    }

    public boolean hasActiveConnection() {
        for (NodeConnection connection : connections) {
            if (connection.isActive()) {
                return true;
            }
        }
        return false;
    }

    public int activeConnections() {
        int active = 0;
        for (NodeConnection connection : connections) {
            if (connection.isActive()) {
                active++;
            }
        }
        return active;
    }

    /** Visits each of the K connections; on the pool's event loop only. */
    public void forEach(Consumer<NodeConnection> action) {
        for (NodeConnection connection : connections) {
            action.accept(connection);
        }
    }

    public void expireStuck(long nowNanos) {
        for (NodeConnection connection : connections) {
            connection.expireIfStuck(nowNanos);
        }
    }

    /** Closes each connection once the commands in flight on it have their replies; see NodeConnection. */
    public void closeWhenDrained(String reason) {
        for (NodeConnection connection : connections) {
            connection.closeWhenDrained(reason);
        }
    }

    public void close(String reason) {
        for (NodeConnection connection : connections) {
            connection.close(reason);
        }
    }
}
