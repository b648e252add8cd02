package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.rcproxy.proxy.auth.AclCommands;
import io.rcproxy.proxy.auth.AuthErrors;
import io.rcproxy.proxy.auth.ClientAccess;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.command.Routing;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.Protocol;
import io.rcproxy.proxy.reply.Replies;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Commands the proxy answers itself, because they concern the client's connection to the proxy rather
 * than data: PING, ECHO, QUIT, SELECT, HELLO, RESET, AUTH, READONLY, READWRITE, CLIENT SETNAME/GETNAME/
 * ID/LIST/INFO/KILL/NO-EVICT/NO-TOUCH/SETINFO/REPLY/PAUSE/UNPAUSE/UNBLOCK, the ACL subcommands of the proxy's
 * users, CLUSTER INFO/KEYSLOT/MYID/SLOTS/SHARDS/NODES, and CLIENT TRACKING/CACHING/TRACKINGINFO/GETREDIR
 * (answered by the tracking package). Each has a {@link LocalHandler},
 * found by the command's name once, when the frontend takes the command table ({@link #resolve}); a {@code local} row without a handler stops start-up. Also the error
 * texts the frontend gives for requests it cannot route.
 *
 * <p>Runs on the client's event loop; every reply a handler returns is a new buffer the caller owns.
 */
public final class LocalCommands {

    /** The handlers by command name: one entry per {@code local} row of the table, no more, no fewer. */
    private static final Map<String, LocalHandler> HANDLERS = Map.ofEntries(
            Map.entry("ping", LocalCommands::ping),
            Map.entry("echo", LocalCommands::echo),
            Map.entry("quit", LocalCommands::quit),
            Map.entry("select", LocalCommands::select),
            Map.entry("hello", HelloCommand::answer),
            Map.entry("reset", LocalCommands::reset),
            Map.entry("auth", LocalCommands::auth),
            Map.entry("client|setname", (request, client) -> setName(request, client.session(), client.alloc())),
            Map.entry("client|getname", LocalCommands::getName),
            Map.entry("client|id", (request, client) -> Replies.integer(client.alloc(), client.session().id())),
            Map.entry("client|list", ClientCommands::list),
            Map.entry("client|info", (request, client) -> ClientCommands.info(client)),
            Map.entry("client|kill", ClientCommands::kill),
            Map.entry("client|no-evict", ClientCommands::noEvict),
            Map.entry("acl|whoami", acl(AclCommands::whoami)),
            Map.entry("acl|users", acl(AclCommands::users)),
            Map.entry("acl|list", acl(AclCommands::list)),
            Map.entry("acl|getuser", acl(AclCommands::getUser)),
            Map.entry("acl|setuser", acl(AclCommands::setUser)),
            Map.entry("acl|deluser", acl(AclCommands::delUser)),
            Map.entry("acl|cat", acl(AclCommands::cat)),
            Map.entry("acl|dryrun", acl(AclCommands::dryRun)),
            Map.entry("acl|load", (request, client) -> client.answerWhenDone(AclCommands.load(client.session().access()))),
            // TRACKING hooks: client-side caching lives in the tracking package.
            Map.entry("client|tracking", (request, client) -> client.tracking().tracking(request)),
            Map.entry("client|caching", (request, client) -> client.tracking().caching(request)),
            Map.entry("client|trackinginfo", (request, client) -> client.tracking().trackingInfo(request)),
            Map.entry("client|getredir", (request, client) -> client.tracking().getRedir(request)),
            Map.entry("client|no-touch", ClientCommands::noTouch),
            Map.entry("client|setinfo", ClientCommands::setInfo),
            Map.entry("client|reply", ClientControl::reply),
            Map.entry("client|pause", ClientControl::pause),
            Map.entry("client|unpause", ClientControl::unpause),
            Map.entry("client|unblock", ClientControl::unblock),
            Map.entry("cluster|info", ClusterView::info),
            Map.entry("cluster|keyslot", ClusterView::keyslot),
            Map.entry("cluster|myid", ClusterView::myid),
            Map.entry("cluster|slots", ClusterView::slots),
            Map.entry("cluster|shards", ClusterView::shards),
            Map.entry("cluster|nodes", ClusterView::nodes),
            Map.entry("readonly", (request, client) -> readonly(client, true)),
            Map.entry("readwrite", (request, client) -> readonly(client, false)));

    /** An ACL subcommand of the auth package, given the client's access state. */
    private interface AclHandler {
        ByteBuf answer(RedisRequest request, ClientAccess access, ByteBufAllocator alloc);
    }

    private static LocalHandler acl(AclHandler handler) {
        return (request, client) -> handler.answer(request, client.session().access(), client.alloc());
    }

    private LocalCommands() {
    }

    /**
     * Each spec's handler, indexed by {@link CommandSpec#id()} (null for rows that are not {@code local}).
     *
     * @throws IllegalArgumentException naming the row, when a {@code local} row has no handler or a handler
     *                                  has no {@code local} row
     */
    static LocalHandler[] resolve(CommandTable table) {
        LocalHandler[] byId = new LocalHandler[table.specs().size()];
        Set<String> unused = new HashSet<>(HANDLERS.keySet());
        for (CommandSpec spec : table.specs()) {
            if (spec.routing() != Routing.LOCAL) {
                continue;
            }
            LocalHandler handler = HANDLERS.get(spec.name());
            if (handler == null) {
                throw new IllegalArgumentException("commands.tsv row '" + spec.name()
                        + "' is local, but the proxy has no handler for it");
            }
            byId[spec.id()] = handler;
            unused.remove(spec.name());
        }
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("local handlers without a local row in commands.tsv: " + unused);
        }
        return byId;
    }

    private static ByteBuf ping(RedisRequest request, ClientHandler client) {
        int args = request.argCount();
        if (args == 1) {
            return Replies.pong();
        }
        return args == 2 ? Replies.bulk(client.alloc(), request.arg(1)) : wrongArity(client.alloc(), "ping");
    }

    private static ByteBuf echo(RedisRequest request, ClientHandler client) {
        ByteBufAllocator alloc = client.alloc();
        return request.argCount() == 2 ? Replies.bulk(alloc, request.arg(1)) : wrongArity(alloc, "echo");
    }

    private static ByteBuf quit(RedisRequest request, ClientHandler client) {
        client.closeAfterReplies();
        return Replies.ok();
    }

    private static ByteBuf select(RedisRequest request, ClientHandler client) {
        ByteBufAllocator alloc = client.alloc();
        if (request.argCount() != 2) {
            return wrongArity(alloc, "select");
        }
        long db = request.argAsLong(1, Long.MIN_VALUE);
        if (db == Long.MIN_VALUE) {
            return Replies.error(alloc, "ERR value is not an integer or out of range");
        }
        return db == 0 ? Replies.ok() : Replies.error(alloc, "ERR SELECT is not allowed in cluster mode");
    }

    /** READONLY/READWRITE: accepted (replicas are not read from); READONLY shows as CLIENT LIST's {@code r}. */
    private static ByteBuf readonly(ClientHandler client, boolean on) {
        client.session().readonly(on);
        return Replies.ok();
    }

    /** RESET: as Redis's, it also forgets the name and goes back to RESP2. */
    private static ByteBuf reset(RedisRequest request, ClientHandler client) {
        client.reset();
        client.session().name(null);
        client.session().protocol(Protocol.RESP2);
        client.session().access().reset(); // as Redis: RESET authenticates the connection as the default user
        return Replies.simple(client.alloc(), "RESET");
    }

    /** AUTH password, AUTH user password: checked by {@link ClientAccess#authenticate}. */
    private static ByteBuf auth(RedisRequest request, ClientHandler client) {
        int args = request.argCount();
        if (args > 3) {
            return Replies.error(client.alloc(), "ERR syntax error");
        }
        String error = client.session().access().authenticate(args == 2 ? null : request.argString(1),
                ByteBufUtil.getBytes(request.arg(args - 1)));
        return error == null ? Replies.ok() : authRefused(client, error);
    }

    /**
     * The reply to a failed AUTH or HELLO AUTH ({@link ClientAccess#authenticate} is the one check both
     * use). A wrong password is queued by {@link ClientHandler#authFailed}, delayed, and null is returned;
     * "no password configured" is a configuration question, not a guess: answered at once.
     */
    static ByteBuf authRefused(ClientHandler client, String error) {
        return error.equals(AuthErrors.WRONGPASS) ? client.authFailed(error) : Replies.error(client.alloc(), error);
    }

    private static ByteBuf getName(RedisRequest request, ClientHandler client) {
        ClientSession session = client.session();
        return session.name() == null ? Replies.nullReply(session.protocol())
                : Replies.bulk(client.alloc(), session.name());
    }

    private static ByteBuf setName(RedisRequest request, ClientSession session, ByteBufAllocator alloc) {
        if (request.argCount() != 3) {
            return wrongArity(alloc, "client|setname");
        }
        String name = request.argString(2);
        String invalid = invalidName(name);
        if (invalid != null) {
            return Replies.error(alloc, invalid);
        }
        session.name(name.isEmpty() ? null : name);
        return Replies.ok();
    }

    /** Redis's error for a client name it refuses (CLIENT SETNAME, HELLO SETNAME), or null. */
    static String invalidName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '!' || c > '~') {
                return "ERR Client names cannot contain spaces, newlines or special characters.";
            }
        }
        return null;
    }

    private static ByteBuf wrongArity(ByteBufAllocator alloc, String name) {
        return Replies.error(alloc, "ERR wrong number of arguments for '" + name + "' command");
    }

    static String unknownSubcommand(RedisRequest request) {
        return "ERR unknown subcommand '" + truncate(request.argString(1)) + "'. Try "
                + request.argString(0).toUpperCase(Locale.ROOT) + " HELP.";
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
