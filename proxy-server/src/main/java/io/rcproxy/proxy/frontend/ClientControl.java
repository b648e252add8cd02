package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.Replies;
import java.util.Locale;

/**
 * The CLIENT subcommands that change how the proxy serves clients, answered as Redis 7.0 answers them:
 * REPLY ON/OFF/SKIP (this client's replies), PAUSE/UNPAUSE (every client of this proxy, see
 * {@link ClientPause}), UNBLOCK (a client blocked in a command sent through the proxy).
 *
 * <p>Thread: the asking client's event loop; work on another client goes to that client's loop. Replies
 * are new buffers the caller owns.
 */
final class ClientControl {

    private ClientControl() {
    }

    /** CLIENT REPLY ON|OFF|SKIP: OFF and SKIP are not answered, as in Redis. */
    static ByteBuf reply(RedisRequest request, ClientHandler client) {
        String mode = request.argString(2).toLowerCase(Locale.ROOT);
        switch (mode) {
            case "on" -> client.requests().replyMode(false, false);
            case "off" -> client.requests().replyMode(true, false);
            case "skip" -> client.requests().replyMode(false, true);
            default -> {
                return Replies.error(client.alloc(), "ERR syntax error");
            }
        }
        return Replies.ok(); // dropped for OFF and SKIP: the mode silences this reply already
    }

    /** CLIENT PAUSE timeout [WRITE|ALL]. */
    static ByteBuf pause(RedisRequest request, ClientHandler client) {
        ByteBufAllocator alloc = client.alloc();
        int args = request.argCount();
        if (args > 4) {
            return Replies.error(alloc, "ERR syntax error");
        }
        long timeout = request.argAsLong(2, -1);
        if (timeout < 0) {
            return Replies.error(alloc, "ERR timeout is not an integer or out of range");
        }
        boolean writesOnly = false;
        if (args == 4) {
            String kind = request.argString(3).toLowerCase(Locale.ROOT);
            if (kind.equals("write")) {
                writesOnly = true;
            } else if (!kind.equals("all")) {
                return Replies.error(alloc, "ERR syntax error");
            }
        }
        client.context().pause().pause(System.currentTimeMillis() + timeout, writesOnly);
        return Replies.ok();
    }

    static ByteBuf unpause(RedisRequest request, ClientHandler client) {
        client.context().unpause();
        return Replies.ok();
    }

    /**
     * CLIENT UNBLOCK id [TIMEOUT|ERROR]: {@code :1} when that client is blocked in a command, which then
     * answers its timeout reply (or the UNBLOCKED error) at once; {@code :0} otherwise.
     */
    static ByteBuf unblock(RedisRequest request, ClientHandler client) {
        ByteBufAllocator alloc = client.alloc();
        int args = request.argCount();
        long id = request.argAsLong(2, Long.MIN_VALUE);
        if (id == Long.MIN_VALUE) {
            return Replies.error(alloc, "ERR value is not an integer or out of range");
        }
        boolean withError = false;
        if (args == 4) {
            String how = request.argString(3).toLowerCase(Locale.ROOT);
            if (how.equals("error")) {
                withError = true;
            } else if (!how.equals("timeout")) {
                return Replies.error(alloc, "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        } else if (args > 4) {
            return Replies.error(alloc, "ERR syntax error");
        }
        ClientSession target = client.context().session(id);
        if (target == null || !target.isBlocked() || target.channel() == null || target.requests() == null) {
            return Replies.integer(alloc, 0);
        }
        boolean error = withError;
        ClientRequests requests = target.requests();
        if (target.channel().eventLoop().inEventLoop()) {
            requests.unblock(error);
        } else {
            target.channel().eventLoop().execute(() -> requests.unblock(error));
        }
        return Replies.integer(alloc, 1);
    }
}
