package io.rcproxy.proxy;

import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;

/** Figures a node gives about itself in INFO, for tests that check which node served what. */
final class NodeStats {

    private NodeStats() {
    }

    /** Calls of {@code command} (lower case) on the node at {@code port}, per its INFO commandstats. */
    static long calls(RedisClusterProcess cluster, int port, String command) {
        String name = "cmdstat_" + command + ":";
        try (RedisTestConnection node = cluster.connect(port)) {
            for (String line : node.callText("INFO", "commandstats").split("\r\n")) {
                if (line.startsWith(name)) {
                    for (String part : line.substring(name.length()).split(",")) {
                        if (part.startsWith("calls=")) {
                            return Long.parseLong(part.substring("calls=".length()));
                        }
                    }
                }
            }
        }
        return 0;
    }

    /** {@code host:port} of a node, as the proxy's per-node metrics label it. */
    static String address(int port) {
        return RedisClusterProcess.HOST + ":" + port;
    }
}
