package io.rcproxy.cluster.connection;

import io.netty.channel.EventLoop;
import io.rcproxy.cluster.topology.ClusterNode;

/**
 * The K connections one event loop keeps to one node, used round-robin. The cursor is a plain field:
 * the pool belongs to its loop, so no other thread ever touches it.
 */
public final class NodePool {

    private final ClusterNode node;
    private final NodeConnection[] connections;
    private int cursor;

    public NodePool(ClusterNode node, EventLoop loop, int size, ConnectionOptions options,
                    NodeConnection.Listener listener) {
        if (size < 1) {
            throw new IllegalArgumentException("connections per node must be at least 1");
        }
        this.node = node;
        this.connections = new NodeConnection[size];
        for (int i = 0; i < size; i++) {
            connections[i] = new NodeConnection(node, loop, options, listener);
            connections[i].connect();
        }
    }

    public ClusterNode node() {
        return node;
    }

    /** The next connection in turn, skipping ones that would fail at once while a usable one exists. */
    public NodeConnection next() {
        int n = connections.length;
        for (int tries = 0; tries < n; tries++) {
            NodeConnection candidate = connections[cursor];
            cursor = cursor + 1 == n ? 0 : cursor + 1;
            if (candidate.isUsable()) {
                return candidate;
            }
        }
        return connections[cursor];
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

    public void expireStuck(long nowNanos) {
        for (NodeConnection connection : connections) {
            connection.expireIfStuck(nowNanos);
        }
    }

    public void close(String reason) {
        for (NodeConnection connection : connections) {
            connection.close(reason);
        }
    }
}
