package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.dispatch.RedirectFollower;
import io.rcproxy.cluster.resp.RedirectKind;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.KeySlots;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.RedisErrors;
import io.rcproxy.proxy.reply.Replies;

/**
 * One blocking command (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN/MAX, BZMPOP, XREAD and
 * XREADGROUP with BLOCK) on a backend connection of its own, so a command blocked for minutes never holds
 * up the multiplexed connections other requests share. The connection comes from the router's idle pool
 * when it has one, and goes back there once the reply is fully in: a command that has answered leaves
 * nothing behind on the connection. One that answered a redirect, was lost, or whose client left while it
 * was blocked is closed instead (Redis then unblocks it).
 *
 * <p>The connection has no command timeout: the command's own timeout is Redis's to enforce ({@code 0}
 * waits for ever), which a proxy-side timeout must not cut short. A client that disconnects closes the
 * connection, and Redis unblocks. MOVED and ASK are followed on a new dedicated connection, within the
 * redirect budget. XREAD and XREADGROUP without BLOCK never block and go the usual way.
 *
 * <p>Thread: the client's event loop. Ownership: the request frame passes to the reply entry, which is
 * the command sent.
 */
final class BlockingCall implements NodeConnection.Listener, RedirectFollower.Target {

    private static final byte[] BLOCK = {'b', 'l', 'o', 'c', 'k'};
    private static final byte[] STREAMS = {'s', 't', 'r', 'e', 'a', 'm', 's'};
    private static final byte[] GROUP = {'g', 'r', 'o', 'u', 'p'};
    private static final byte[] COUNT = {'c', 'o', 'u', 'n', 't'};

    private final ClientPort client;
    private final PinnedState owner;
    private NodeConnection connection;
    /** The client's reply entry: the command sent, whose reply ends the call. */
    private ClusterCommand entry;
    /** Whether the command's timeout reply is the null bulk (BLMOVE, BRPOPLPUSH) rather than the null array. */
    private boolean timesOutWithNullBulk;

    private BlockingCall(ClientPort client, PinnedState owner) {
        this.client = client;
        this.owner = owner;
    }

    /** Routes a command whose routing is BLOCKING; takes ownership of {@code request}. */
    static void route(ClientPort client, PinnedState owner, CommandSpec spec, RedisRequest request) {
        int slot = KeySlots.slotOf(spec, request);
        if (slot == KeySlots.WRONG_ARITY) {
            client.answerError(request, RedisErrors.wrongArity(spec));
        } else if (slot == KeySlots.CROSS_SLOT) {
            client.answerError(request, RedisErrors.CROSSSLOT);
        } else if (slot < 0 || !blocks(spec, request)) {
            // Keyless or malformed: Redis explains without blocking. Non-blocking XREAD: a plain read.
            client.forwardShared(request, slot >= 0 ? slot : ClusterCommand.ANY_SLOT);
        } else {
            ClusterNode node = client.router().ownerOf(slot);
            if (node == null) {
                client.answerError(request, RedisErrors.SLOT_NOT_SERVED);
                return;
            }
            PendingReply entry = client.enqueue(request.frame(), slot, client.maxRedirects());
            BlockingCall call = new BlockingCall(client, owner);
            owner.blockingStarted(call);
            call.entry = entry;
            call.timesOutWithNullBulk = movesOneElement(spec);
            call.connection = client.router().openDedicated(node, call, client.protocol().resp3());
            call.connection.send(entry);
        }
    }

    /**
     * Whether a timeout answers a null bulk rather than a null array: the blocking commands that move one
     * element from a source key to a destination (Redis's key range 1..2: BLMOVE, BRPOPLPUSH),
     * where the pops answer an array.
     */
    static boolean movesOneElement(CommandSpec spec) {
        return spec.firstKey() == 1 && spec.lastKey() == 2;
    }

    /**
     * Whether the request can block: always, except the stream reads (the table's {@code streams} keys:
     * XREAD, XREADGROUP) without a BLOCK option.
     */
    static boolean blocks(CommandSpec spec, RedisRequest request) {
        if (!spec.hasStreamKeys()) {
            return true;
        }
        int i = 1;
        while (i < request.argCount()) {
            if (request.argEqualsIgnoreCase(i, STREAMS)) {
                return false;
            } else if (request.argEqualsIgnoreCase(i, BLOCK)) {
                return true;
            } else if (request.argEqualsIgnoreCase(i, GROUP)) {
                i += 3;
            } else if (request.argEqualsIgnoreCase(i, COUNT)) {
                i += 2;
            } else {
                i++;
            }
        }
        return false;
    }

    @Override
    public void onReply(NodeConnection from, ClusterCommand command, ByteBuf reply) {
        if (command != entry) {
            command.complete(reply); // the ASKING sent ahead of an ASK-redirected call: not the call's answer
            return;
        }
        RedirectKind kind = RedirectKind.of(reply);
        if (RedirectFollower.canFollow(command, kind)
                && client.router().redirects().follow(from, command, kind, reply, this)) {
            return;
        }
        command.complete(reply);
        finish(kind == RedirectKind.NONE); // a redirect not followed: the connection is not trusted again
    }

    /** A redirect is followed on a new dedicated connection; the one that answered it is not trusted again. */
    @Override
    public NodeConnection connectionTo(ClusterNode node, ClusterCommand command) {
        connection.close("redirected");
        connection = client.router().openDedicated(node, this, client.protocol().resp3());
        return connection;
    }

    @Override
    public void onConnectionLost(NodeConnection lost, Throwable cause) {
        if (lost == connection) {
            finish(false); // the command has failed with an error reply already
        }
    }

    /** The command is over: its connection goes back to the idle pool when {@code reusable}, else closes. */
    private void finish(boolean reusable) {
        if (reusable) {
            client.router().releaseDedicated(connection);
        } else {
            connection.close("blocking command over, connection not reused");
        }
        owner.blockingDone(this);
    }

    /**
     * CLIENT UNBLOCK of this client: answers as Redis does (the command's timeout reply, or the UNBLOCKED
     * error) and closes the connection, which makes the node unblock the command it still holds.
     */
    void unblock(boolean withError) {
        ByteBuf reply = withError
                ? Replies.error(client.alloc(), "UNBLOCKED client unblocked via CLIENT UNBLOCK")
                : client.protocol().resp3() ? Replies.nullReply(client.protocol()) // RESP3 has one null
                : timesOutWithNullBulk ? Replies.nullBulk() : Replies.nullArray();
        entry.complete(reply);
        NodeConnection blocked = connection;
        connection = null; // its loss is this call's own doing, not news to act on
        blocked.close("unblocked by CLIENT UNBLOCK");
        owner.blockingDone(this);
    }

    /** The client is gone: closing the connection makes Redis unblock. */
    void abort() {
        connection.close("client disconnected");
    }
}
