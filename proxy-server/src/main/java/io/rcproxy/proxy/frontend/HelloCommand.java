package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.Replies;
import java.util.Locale;

/**
 * {@code HELLO [protover [AUTH username password] [SETNAME clientname]]}, answered as Redis 7.0 does: the
 * version is checked first ({@code NOPROTO} for anything but 2 and 3), then the options' syntax, then AUTH
 * (through the same check as the AUTH command), then the name; only when all pass does the client's
 * protocol change. The reply describes the server in the protocol just chosen: a map in RESP3, the same
 * pairs as a flat array in RESP2. The proxy shows itself as one standalone Redis 7.0.15 master, as INFO does (mode cluster when
 * it presents itself as a one-node cluster).
 *
 * <p>Runs on the client's event loop; the reply is a new buffer the caller owns.
 */
final class HelloCommand {

    private HelloCommand() {
    }

    static ByteBuf answer(RedisRequest request, ClientHandler client) {
        ByteBufAllocator alloc = client.alloc();
        ClientSession session = client.session();
        int args = request.argCount();
        Protocol protocol = session.protocol();
        if (args > 1) {
            long version = request.argAsLong(1, Long.MIN_VALUE);
            if (version == Long.MIN_VALUE) {
                return Replies.error(alloc, "ERR Protocol version is not an integer or out of range");
            }
            protocol = Protocol.of(version);
            if (protocol == null) {
                return Replies.error(alloc, "NOPROTO unsupported protocol version");
            }
        }
        String user = null;
        int passwordAt = -1;
        String name = null;
        for (int i = 2; i < args; i++) {
            String option = request.argString(i).toLowerCase(Locale.ROOT);
            int more = args - 1 - i;
            if (option.equals("auth") && more >= 2) {
                user = request.argString(i + 1);
                passwordAt = i + 2;
                i += 2;
            } else if (option.equals("setname") && more >= 1) {
                name = request.argString(i + 1);
                i++;
            } else {
                return Replies.error(alloc, "ERR Syntax error in HELLO option '" + request.argString(i) + "'");
            }
        }
        if (user != null) {
            String refusal = session.access().authenticate(user, ByteBufUtil.getBytes(request.arg(passwordAt)));
            if (refusal != null) {
                return LocalCommands.authRefused(client, refusal); // HELLO does nothing else
            }
        }
        if (name != null) {
            String invalid = LocalCommands.invalidName(name);
            if (invalid != null) {
                return Replies.error(alloc, invalid);
            }
            session.name(name.isEmpty() ? null : name);
        }
        session.protocol(protocol);
        return describe(alloc, protocol, session.id(), client.context().clusterMode());
    }

    /** Redis's seven pairs: server, version, proto, id, mode, role, modules. */
    static ByteBuf describe(ByteBufAllocator alloc, Protocol protocol, long id, boolean clusterMode) {
        ByteBuf out = alloc.buffer(160);
        Replies.mapHeader(out, protocol, 7);
        Replies.appendBulk(out, "server");
        Replies.appendBulk(out, "redis");
        Replies.appendBulk(out, "version");
        Replies.appendBulk(out, CommandTable.REDIS_VERSION);
        Replies.appendBulk(out, "proto");
        Replies.appendInteger(out, protocol.version());
        Replies.appendBulk(out, "id");
        Replies.appendInteger(out, id);
        Replies.appendBulk(out, "mode");
        Replies.appendBulk(out, clusterMode ? "cluster" : "standalone"); // proxy.listen.present-as-cluster
        Replies.appendBulk(out, "role");
        Replies.appendBulk(out, "master");
        Replies.appendBulk(out, "modules");
        Replies.arrayHeader(out, 0);
        return out;
    }
}
