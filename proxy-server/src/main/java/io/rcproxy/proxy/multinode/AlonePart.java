package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;

/**
 * One part sent on a dedicated connection of its own rather than the shared one: SCRIPT KILL and
 * FUNCTION KILL must reach a master that is busy running a script, and on the shared connection they
 * would wait behind that very script (Redis does not read more from the connection running it). The
 * connection comes from the loop's idle pool or is new, and goes back to the pool once the reply is in.
 *
 * <p>Thread: the client's event loop. Ownership: the part owns its frame as any command does; its reply
 * passes to the part.
 */
final class AlonePart implements NodeConnection.Listener {

    private final LoopRouter router;

    private AlonePart(LoopRouter router) {
        this.router = router;
    }

    static void send(LoopRouter router, ClusterNode node, ClusterCommand part) {
        router.openDedicated(node, new AlonePart(router)).send(part);
    }

    @Override
    public void onReply(NodeConnection connection, ClusterCommand command, ByteBuf reply) {
        command.complete(reply);
        router.releaseDedicated(connection);
    }

    @Override
    public void onConnectionLost(NodeConnection connection, Throwable cause) {
        // The part has been failed with an error reply already; the connection is gone.
    }
}
