package io.rcproxy.proxy.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.proxy.command.AclCategory;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.Replies;
import java.util.ArrayList;
import java.util.List;

/**
 * The ACL subcommands the proxy answers for its own users: WHOAMI, USERS, LIST, GETUSER, CAT, DRYRUN and
 * LOAD (answered when the reload thread is done), with Redis 7.0's reply shapes and texts. Who may run them is decided before, like any command
 * (LIST, USERS, GETUSER, DRYRUN and LOAD are {@code @admin @dangerous}).
 *
 * <p>Runs on the client's event loop; each reply is a new buffer the caller owns; the request is only read.
 */
public final class AclCommands {

    private AclCommands() {
    }

    public static ByteBuf whoami(RedisRequest request, ClientAccess access, ByteBufAllocator alloc) {
        return Replies.bulk(alloc, access.username());
    }

    public static ByteBuf users(RedisRequest request, ClientAccess access, ByteBufAllocator alloc) {
        List<String> names = new ArrayList<>();
        for (ProxyUser u : access.directory().users().all()) {
            names.add(u.name());
        }
        return bulkArray(alloc, names);
    }

    public static ByteBuf list(RedisRequest request, ClientAccess access, ByteBufAllocator alloc) {
        List<String> lines = new ArrayList<>();
        for (ProxyUser u : access.directory().users().all()) {
            lines.add(u.describe());
        }
        return bulkArray(alloc, lines);
    }

    /** ACL SETUSER name [rule...]: the proxy's user changed or created (see {@link UserDirectory#setUser}). */
    public static ByteBuf setUser(RedisRequest request, ClientAccess access, ByteBufAllocator alloc) {
        List<String> rules = new ArrayList<>();
        for (int i = 3; i < request.argCount(); i++) {
            rules.add(request.argString(i));
        }
        String error = access.directory().setUser(request.argString(2), rules);
        return error == null ? Replies.ok() : Replies.error(alloc, error);
    }

    /** ACL DELUSER name...: how many of the proxy's users were removed; the default user cannot be. */
    public static ByteBuf delUser(RedisRequest request, ClientAccess access, ByteBufAllocator alloc) {
        List<String> names = new ArrayList<>();
        for (int i = 2; i < request.argCount(); i++) {
            names.add(request.argString(i));
        }
        int removed = access.directory().deleteUsers(names);
        return removed < 0 ? Replies.error(alloc, "ERR The 'default' user cannot be removed")
                : Replies.integer(alloc, removed);
    }

    /** ACL GETUSER name: flags, passwords, commands, keys, channels, selectors; nil for an unknown user. */
    public static ByteBuf getUser(RedisRequest request, ClientAccess access, ByteBufAllocator alloc) {
        ProxyUser u = access.directory().users().get(request.argString(2));
        if (u == null) {
            return Replies.nullBulk();
        }
        List<String> flags = new ArrayList<>();
        flags.add(u.enabled() ? "on" : "off");
        if (u.nopass()) {
            flags.add("nopass");
        }
        flags.addAll(u.otherFlags());
        ByteBuf out = alloc.buffer(256);
        Replies.arrayHeader(out, 12);
        Replies.appendBulk(out, "flags");
        appendBulks(out, flags);
        Replies.appendBulk(out, "passwords");
        appendBulks(out, u.passwordHashes());
        Replies.appendBulk(out, "commands");
        Replies.appendBulk(out, u.commandRules());
        Replies.appendBulk(out, "keys");
        Replies.appendBulk(out, u.allKeys() ? "~*" : u.keyRules().equals("resetkeys") ? "" : u.keyRules());
        Replies.appendBulk(out, "channels");
        Replies.appendBulk(out, u.allChannels() ? "&*" : u.channelPatterns().isEmpty() ? "" : u.channelRules());
        Replies.appendBulk(out, "selectors");
        Replies.arrayHeader(out, 0);
        return out;
    }

    /** ACL CAT: the categories; ACL CAT category: its commands. */
    public static ByteBuf cat(RedisRequest request, ClientAccess access, ByteBufAllocator alloc) {
        int args = request.argCount();
        if (args > 3) {
            return Replies.error(alloc, "ERR unknown subcommand or wrong number of arguments for 'cat' command");
        }
        List<String> out = new ArrayList<>();
        if (args == 2) {
            for (AclCategory c : AclCategory.values()) {
                out.add(c.redisName());
            }
            return bulkArray(alloc, out);
        }
        AclCategory category = AclCategory.fromRedisName(request.argString(2));
        if (category == null) {
            return Replies.error(alloc, "ERR Unknown category '" + request.argString(2) + "'");
        }
        for (CommandSpec spec : access.directory().table().specs()) {
            if (spec.in(category) && !spec.container()) {
                out.add(spec.name());
            }
        }
        return bulkArray(alloc, out);
    }

    /** ACL DRYRUN user command [arg...]: +OK, or why the user may not run it, as a bulk string. */
    public static ByteBuf dryRun(RedisRequest request, ClientAccess access, ByteBufAllocator alloc) {
        String name = request.argString(2);
        ProxyUser u = access.directory().users().get(name);
        if (u == null) {
            return Replies.error(alloc, "ERR User '" + name + "' not found");
        }
        CommandTable table = access.directory().table();
        String command = request.argString(3);
        CommandSpec spec = table.lookup(command);
        if (spec != null && spec.container() && request.argCount() > 4) {
            CommandSpec sub = table.lookup(command + "|" + request.argString(4));
            spec = sub == null ? spec : sub;
        }
        if (spec == null) {
            return Replies.error(alloc, "ERR Command '" + command + "' not found");
        }
        if (!spec.acceptsArgCount(request.argCount() - 3)) {
            return Replies.error(alloc, "ERR wrong number of arguments for '" + spec.name() + "' command");
        }
        if (!u.allows(spec)) {
            return Replies.bulk(alloc, "This user has no permissions to run the '" + spec.name() + "' command");
        }
        int n = request.argCount() - 3;
        int[] args = new int[n * 2];
        for (int i = 0; i < n; i++) {
            args[2 * i] = request.argOffset(i + 3);
            args[2 * i + 1] = request.argLength(i + 3);
        }
        // The command inside DRYRUN, over the same bytes; its own reference, released below.
        RedisRequest tried = new RedisRequest(request.frame().retainedDuplicate(), args, n);
        try {
            String key = u.checksKeys() ? u.deniedKey(spec, tried) : null;
            if (key != null) {
                return Replies.bulk(alloc, "This user has no permissions to access the '" + key + "' key");
            }
            int channel = u.checksChannels() ? u.deniedChannelIndex(spec, tried) : -1;
            return channel < 0 ? Replies.ok() : Replies.bulk(alloc, "This user has no permissions to access the '"
                    + tried.argString(channel) + "' channel");
        } finally {
            tried.release();
        }
    }

    /**
     * ACL LOAD: the users and password files read again, on the reload thread.
     *
     * @return null when there is nothing to load; else completes with null (+OK) or the error text
     */
    public static java.util.concurrent.CompletableFuture<String> load(ClientAccess access) {
        UserDirectory directory = access.directory();
        if (!directory.hasFiles()) {
            return java.util.concurrent.CompletableFuture.completedFuture("ERR This proxy has no config file, "
                    + "proxy.auth.users-file or password-file: there is nothing to load");
        }
        return directory.reloadLater().thenApply(error -> error == null ? null : "ERR " + error.replace('\n', ' '));
    }

    private static ByteBuf bulkArray(ByteBufAllocator alloc, List<String> items) {
        ByteBuf out = alloc.buffer(16 + items.size() * 32);
        appendBulks(out, items);
        return out;
    }

    private static void appendBulks(ByteBuf out, List<String> items) {
        Replies.arrayHeader(out, items.size());
        for (String item : items) {
            Replies.appendBulk(out, item);
        }
    }
}
