package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.Replies;
import java.util.Locale;

/**
 * Commands the proxy answers itself, because they concern the client's connection to the proxy rather
 * than data: PING, ECHO, QUIT, SELECT, HELLO, RESET, AUTH and CLIENT SETNAME/GETNAME/ID/LIST/INFO/KILL/
 * NO-EVICT. Runs on the client's event
 * loop; every reply it returns is a new buffer the caller owns.
 */
final class LocalCommands {

    static final String PROXY_VERSION = "0.1.0";

    static ByteBuf answer(CommandSpec spec, RedisRequest request, ClientSession session, ClientHandler handler) {
        ByteBufAllocator alloc = handler.alloc();
        int args = request.argCount();
        switch (spec.name()) {
            case "ping":
                if (args == 1) {
                    return Replies.pong();
                }
                return args == 2 ? Replies.bulk(alloc, request.arg(1)) : wrongArity(alloc, "ping");
            case "echo":
                return args == 2 ? Replies.bulk(alloc, request.arg(1)) : wrongArity(alloc, "echo");
            case "quit":
                handler.closeAfterReplies();
                return Replies.ok();
            case "select":
                if (args != 2) {
                    return wrongArity(alloc, "select");
                }
                long db = request.argAsLong(1, Long.MIN_VALUE);
                if (db == Long.MIN_VALUE) {
                    return Replies.error(alloc, "ERR value is not an integer or out of range");
                }
                return db == 0 ? Replies.ok() : Replies.error(alloc, "ERR SELECT is not allowed in cluster mode");
            case "hello":
                return hello(request, session, alloc);
            case "client|setname":
                return setName(request, session, alloc);
            case "client|getname":
                return session.name() == null ? Replies.nullBulk() : Replies.bulk(alloc, session.name());
            case "client|id":
                return Replies.integer(alloc, session.id());
            case "client|list":
                return ClientCommands.list(request, handler);
            case "client|info":
                return ClientCommands.info(handler);
            case "client|kill":
                return ClientCommands.kill(request, handler);
            case "client|no-evict":
                return ClientCommands.noEvict(request, handler);
            case "reset":
                handler.reset();
                return Replies.simple(alloc, "RESET");
            case "auth":
                // The proxy has no client authentication yet (future work): answer as Redis does without one.
                if (args == 2) {
                    return Replies.error(alloc, "ERR AUTH <password> called without any password configured for "
                            + "the default user. Are you sure your configuration is correct?");
                }
                if (args > 3) {
                    return Replies.error(alloc, "ERR syntax error");
                }
                // Like the passwordless default user: any password for "default", nobody else.
                return request.argString(1).equals("default") ? Replies.ok()
                        : Replies.error(alloc, "WRONGPASS invalid username-password pair or user is disabled.");
            default:
                return Replies.error(alloc, unsupported(spec));
        }
    }

    private static ByteBuf setName(RedisRequest request, ClientSession session, ByteBufAllocator alloc) {
        if (request.argCount() != 3) {
            return wrongArity(alloc, "client|setname");
        }
        String name = request.argString(2);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '!' || c > '~') {
                return Replies.error(alloc, "ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
        session.name(name.isEmpty() ? null : name);
        return Replies.ok();
    }

    /** HELLO [protover [AUTH user pass] [SETNAME name]]: RESP2 only for now. */
    private static ByteBuf hello(RedisRequest request, ClientSession session, ByteBufAllocator alloc) {
        int args = request.argCount();
        int next = 1;
        if (args > 1) {
            long version = request.argAsLong(1, -1);
            if (version == -1) {
                return Replies.error(alloc, "ERR Protocol version is not an integer or out of range");
            }
            if (version != 2) {
                return Replies.error(alloc, "NOPROTO this proxy speaks RESP2 only; HELLO 3 is not supported yet");
            }
            next = 2;
        }
        while (next < args) {
            String option = request.argString(next).toLowerCase(Locale.ROOT);
            if (option.equals("setname") && next + 1 < args) {
                session.name(request.argString(next + 1));
                next += 2;
            } else if (option.equals("auth") && next + 2 < args) {
                next += 3; // the proxy has no client authentication of its own yet; accepted as a no-op
            } else {
                return Replies.error(alloc, "ERR Syntax error in HELLO option '" + request.argString(next) + "'");
            }
        }
        ByteBuf out = alloc.buffer(192);
        Replies.arrayHeader(out, 14);
        Replies.appendBulk(out, "server");
        Replies.appendBulk(out, "redis");
        Replies.appendBulk(out, "version");
        Replies.appendBulk(out, "7.0.0");
        Replies.appendBulk(out, "proto");
        Replies.appendInteger(out, 2);
        Replies.appendBulk(out, "id");
        Replies.appendInteger(out, session.id());
        Replies.appendBulk(out, "mode");
        Replies.appendBulk(out, "cluster-proxy");
        Replies.appendBulk(out, "role");
        Replies.appendBulk(out, "master");
        Replies.appendBulk(out, "modules");
        Replies.arrayHeader(out, 0);
        return out;
    }

    private static ByteBuf wrongArity(ByteBufAllocator alloc, String name) {
        return Replies.error(alloc, "ERR wrong number of arguments for '" + name + "' command");
    }

    static String wrongArity(CommandSpec spec) {
        return "ERR wrong number of arguments for '" + spec.name() + "' command";
    }

    static String unknownSubcommand(RedisRequest request) {
        return "ERR unknown subcommand '" + truncate(request.argString(1)) + "'. Try "
                + request.argString(0).toUpperCase(Locale.ROOT) + " HELP.";
    }

    static String unsupported(CommandSpec spec) {
        return "ERR command '" + spec.name().replace('|', ' ') + "' is not supported by the proxy";
    }

    static String unknownCommand(RedisRequest request) {
        StringBuilder message = new StringBuilder("ERR unknown command '")
                .append(truncate(request.argString(0))).append("', with args beginning with: ");
        for (int i = 1; i < request.argCount() && i <= 8; i++) {
            message.append('\'').append(truncate(request.argString(i))).append("' ");
        }
        return message.toString();
    }

    private static String truncate(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }
}
