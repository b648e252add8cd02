package io.rcproxy.cluster.internal.dispatch;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.internal.ClientErrors;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.resp.Redirect;
import io.rcproxy.cluster.internal.topology.ClusterTopology;
import io.rcproxy.cluster.resp.RedirectKind;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;

/**
 * Follows MOVED and ASK, the one way for every path: the shared connections' router and a blocking call on
 * a dedicated connection differ only in which connection to the new node they use. MOVED patches the slot
 * in the topology and resends the frame; ASK sends {@code ASKING} and the frame back to back and leaves the
 * map alone. Each spends one redirect from the command's budget.
 *
 * <p>Thread: the event loop of the connection that received the redirect. Stateless besides the topology.
 */
public final class RedirectFollower {

    /** Which connection a redirected command goes out on. */
    public interface Target {
        /** A connection to {@code node} for {@code command}; null when the caller can no longer send. */
        NodeConnection connectionTo(ClusterNode node, ClusterCommand command);
    }

    private final ClusterTopology topology;

    RedirectFollower(ClusterTopology topology) {
        this.topology = topology;
    }

    /** Whether {@code kind} is a redirect to follow and the command has budget left for it. */
    public static boolean canFollow(ClusterCommand command, RedirectKind kind) {
        return (kind == RedirectKind.MOVED || kind == RedirectKind.ASK) && command.redirectsLeft() > 0;
    }

    /**
     * Sends {@code command} where the MOVED or ASK {@code reply}, received on {@code from}, points. True when
     * the reply was consumed (released; the command went on, or failed with {@link ClientErrors#CLIENT_CLOSED}
     * when {@code target} gave no connection). False, reply untouched, when it cannot be parsed: the caller
     * then hands the error to its client as Redis sent it.
     */
    public boolean follow(NodeConnection from, ClusterCommand command, RedirectKind kind, ByteBuf reply,
                          Target target) {
        Redirect redirect;
        try {
            redirect = Redirect.parse(reply);
        } catch (RuntimeException unparsable) {
            return false;
        }
        reply.release();
        command.spendRedirect();
        String host = redirect.host().isEmpty() ? from.node().address().host() : redirect.host();
        ClusterNode node = ClusterNode.of(host, redirect.port());
        NodeConnection connection = target.connectionTo(node, command);
        if (connection == null) {
            command.fail(ClientErrors.CLIENT_CLOSED);
        } else if (kind == RedirectKind.MOVED) {
            topology.applyMoved(redirect.slot(), node);
            connection.send(command);
        } else {
            connection.sendAsking(command);
        }
        return true;
    }
}
