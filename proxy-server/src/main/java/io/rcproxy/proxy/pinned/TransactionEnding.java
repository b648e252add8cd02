package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.spi.ClusterCommand;
import java.nio.charset.StandardCharsets;

/**
 * The connection of an ended transaction, waiting for its last replies. It goes back to the router's idle
 * pool only when {@code last} (the EXEC, DISCARD or UNWATCH that ended the transaction) answered in a way
 * that proves Redis holds no MULTI and no WATCH for it, and no redirect was seen on it; otherwise it closes.
 *
 * <p>Thread: the client's event loop. Reads replies without taking or moving them.
 */
final class TransactionEnding {

    private static final byte[] EXECABORT_PREFIX = "-EXECABORT ".getBytes(StandardCharsets.US_ASCII);

    private final NodeConnection connection;
    private final ClusterCommand last;
    private boolean proven;
    private boolean tainted;

    TransactionEnding(NodeConnection connection, ClusterCommand last, boolean tainted) {
        this.connection = connection;
        this.last = last;
        this.tainted = tainted;
    }

    NodeConnection connection() {
        return connection;
    }

    /** Looks at a reply on the connection before it is passed on. */
    void observe(ClusterCommand command, ByteBuf reply, boolean redirect) {
        tainted |= redirect;
        if (command == last) {
            proven = provesNoState(reply);
        }
    }

    /** Back to the idle pool when the state is proven clean, closed otherwise. */
    void finish(LoopRouter router) {
        if (proven && !tainted) {
            router.releaseDedicated(connection);
        } else {
            connection.close("transaction over, connection state unknown");
        }
    }

    /**
     * Whether the reply to the EXEC, DISCARD or UNWATCH that ended a transaction shows that Redis holds no
     * MULTI and no WATCH for the connection: EXEC's array or nil, {@code +OK}, or {@code -EXECABORT} (which
     * discards). Any other error ({@code -ERR DISCARD without MULTI}, for one) may leave a WATCH behind.
     */
    private static boolean provesNoState(ByteBuf reply) {
        byte type = reply.getByte(reply.readerIndex());
        if (type == '*' || type == '_' || type == '+') {
            return true;
        }
        return type == '-' && startsWith(reply, EXECABORT_PREFIX);
    }

    private static boolean startsWith(ByteBuf reply, byte[] prefix) {
        if (reply.readableBytes() < prefix.length) {
            return false;
        }
        int start = reply.readerIndex();
        for (int i = 0; i < prefix.length; i++) {
            if (reply.getByte(start + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
