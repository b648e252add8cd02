package io.rcproxy.cluster.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One line of {@code CLUSTER NODES}, reduced to what the fixture checks: who a node is, on which
 * port, with which flags ({@code myself}, {@code master}, {@code slave}, {@code fail?}, {@code fail},
 * {@code handshake}, {@code noaddr}) and which master it follows. Immutable.
 */
record ClusterNodesEntry(String id, int port, Set<String> flags, String masterId) {

    /** Flags that mean the reporting node does not (yet) see this node as a healthy peer. */
    private static final Set<String> UNHEALTHY = Set.of("fail?", "fail", "handshake", "noaddr");

    boolean isMaster() {
        return flags.contains("master");
    }

    boolean isMyself() {
        return flags.contains("myself");
    }

    boolean isHealthy() {
        return flags.stream().noneMatch(UNHEALTHY::contains);
    }

    /** Parses the text of a {@code CLUSTER NODES} reply. */
    static List<ClusterNodesEntry> parse(String text) {
        List<ClusterNodesEntry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split(" ");
            // f[1] is ip:port@busport, optionally followed by ",hostname".
            String address = f[1];
            int colon = address.lastIndexOf(':', address.indexOf('@'));
            int port = Integer.parseInt(address.substring(colon + 1, address.indexOf('@')));
            entries.add(new ClusterNodesEntry(f[0], port, Set.of(f[2].split(",")), f[3]));
        }
        return entries;
    }
}
