package io.rcproxy.proxy.frontend;

import io.rcproxy.cluster.topology.ClusterNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The masters one client wrote to since its last WAIT, which WAIT then asks (see {@code WaitReplicas}):
 * each master a write went to over the client's shared connection, or every master after a multi-node
 * write.
 *
 * <p>Thread: the client's event loop. Recording a write is one scan of a few entries and allocates only
 * the first time a master is seen.
 */
final class WrittenMasters {

    private final ArrayList<ClusterNode> masters = new ArrayList<>(4);
    private boolean everywhere;

    void wrote(ClusterNode master) {
        for (int i = 0; i < masters.size(); i++) {
            if (masters.get(i) == master) {
                return;
            }
        }
        masters.add(master);
    }

    /** A write split over several masters (MSET, DEL across slots): WAIT asks every one. */
    void wroteEverywhere() {
        everywhere = true;
    }

    boolean everywhere() {
        return everywhere;
    }

    /** The masters written to, and a fresh start for the next WAIT. */
    List<ClusterNode> takeAll() {
        List<ClusterNode> all = List.copyOf(masters);
        masters.clear();
        everywhere = false;
        return all;
    }
}
