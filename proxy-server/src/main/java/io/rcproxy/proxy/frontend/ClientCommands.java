package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.Replies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * CLIENT LIST, CLIENT INFO, CLIENT KILL, CLIENT NO-EVICT, CLIENT NO-TOUCH and CLIENT SETINFO, answered for
 * the proxy's own clients (not the proxy's backend connections), from the session registry in
 * {@link FrontendContext}. Runs on the asking client's event loop; other clients' sessions are read as
 * described in {@link ClientSession}, and a killed client's channel is closed on its own loop (Netty hands
 * the close over). Replies are new buffers the caller owns.
 */
final class ClientCommands {

    private ClientCommands() {
    }

    static ByteBuf list(RedisRequest request, ClientHandler handler) {
        ByteBufAllocator alloc = handler.alloc();
        List<Long> ids = null;
        String type = null;
        for (int i = 2; i < request.argCount(); i++) {
            String option = request.argString(i).toLowerCase(Locale.ROOT);
            if (option.equals("id") && i + 1 < request.argCount()) {
                ids = new ArrayList<>();
                for (i++; i < request.argCount(); i++) {
                    long id = request.argAsLong(i, -1);
                    if (id <= 0) {
                        return Replies.error(alloc, "ERR Invalid client ID");
                    }
                    ids.add(id);
                }
            } else if (option.equals("type") && i + 1 < request.argCount()) {
                type = request.argString(++i).toLowerCase(Locale.ROOT);
                if (!type.equals("normal") && !type.equals("pubsub") && !type.equals("master")
                        && !type.equals("replica") && !type.equals("slave")) {
                    return Replies.error(alloc, "ERR Unknown client type '" + request.argString(i) + "'");
                }
            } else {
                return Replies.error(alloc, "ERR syntax error");
            }
        }
        long now = System.nanoTime();
        StringBuilder out = new StringBuilder();
        List<ClientSession> sessions = new ArrayList<>(handler.context().sessions());
        sessions.sort(Comparator.comparingLong(ClientSession::id)); // oldest first, as Redis lists them
        for (ClientSession session : sessions) {
            if (ids != null && !ids.contains(session.id())) {
                continue;
            }
            if (type != null && !type.equals(session.isSubscriber() ? "pubsub" : "normal")) {
                continue;
            }
            out.append(session.describe(now)).append('\n');
        }
        return Replies.verbatim(alloc, handler.session().protocol(), out.toString());
    }

    static ByteBuf info(ClientHandler handler) {
        ClientSession session = handler.session();
        return Replies.verbatim(handler.alloc(), session.protocol(), session.describe(System.nanoTime()) + "\n");
    }

    /** CLIENT NO-EVICT ON|OFF: the proxy evicts no client for memory; the flag shows in CLIENT LIST. */
    static ByteBuf noEvict(RedisRequest request, ClientHandler handler) {
        String mode = request.argString(2).toLowerCase(Locale.ROOT);
        if (mode.equals("on") || mode.equals("off")) {
            handler.session().noEvict(mode.equals("on"));
            return Replies.ok();
        }
        return Replies.error(handler.alloc(), "ERR syntax error");
    }

    /**
     * CLIENT NO-TOUCH ON|OFF (Redis 7.2): accepted and shown in CLIENT LIST ({@code T}); the nodes still
     * touch keys, since the client's commands share connections with others'.
     */
    static ByteBuf noTouch(RedisRequest request, ClientHandler handler) {
        String mode = request.argString(2).toLowerCase(Locale.ROOT);
        if (mode.equals("on") || mode.equals("off")) {
            handler.session().noTouch(mode.equals("on"));
            return Replies.ok();
        }
        return Replies.error(handler.alloc(), "ERR syntax error");
    }

    /** CLIENT SETINFO LIB-NAME|LIB-VER value, as Redis 7.2 validates it. */
    static ByteBuf setInfo(RedisRequest request, ClientHandler handler) {
        ByteBufAllocator alloc = handler.alloc();
        String attribute = request.argString(2).toLowerCase(Locale.ROOT);
        String value = request.argString(3);
        if (!attribute.equals("lib-name") && !attribute.equals("lib-ver")) {
            return Replies.error(alloc, "ERR Unrecognized option '" + request.argString(2) + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '!' || c > '~') {
                return Replies.error(alloc, "ERR " + attribute
                        + " cannot contain spaces, newlines or special characters.");
            }
        }
        if (attribute.equals("lib-name")) {
            handler.session().libName(value);
        } else {
            handler.session().libVersion(value);
        }
        return Replies.ok();
    }

    /**
     * CLIENT KILL ip:port (old form: +OK or an error), or CLIENT KILL with filters ID, ADDR, LADDR, TYPE,
     * USER (every proxy client is {@code default}), MAXAGE (seconds), SKIPME (new form: the number killed).
     */
    static ByteBuf kill(RedisRequest request, ClientHandler handler) {
        ByteBufAllocator alloc = handler.alloc();
        int args = request.argCount();
        if (args == 3) {
            String addr = request.argString(2);
            for (ClientSession session : handler.context().sessions()) {
                if (addr.equals(session.addr())) {
                    kill(session);
                    return Replies.ok();
                }
            }
            return Replies.error(alloc, "ERR No such client");
        }
        if (args % 2 != 0) {
            return Replies.error(alloc, "ERR syntax error");
        }
        long id = -1;
        String addr = null;
        String laddr = null;
        String type = null;
        boolean skipMe = true;
        String user = null;
        long maxAge = -1;
        for (int i = 2; i < args; i += 2) {
            String filter = request.argString(i).toLowerCase(Locale.ROOT);
            String value = request.argString(i + 1);
            switch (filter) {
                case "id" -> {
                    id = request.argAsLong(i + 1, -1);
                    if (id <= 0) {
                        return Replies.error(alloc, "ERR client-id should be greater than 0");
                    }
                }
                case "addr" -> addr = value;
                case "laddr" -> laddr = value;
                case "type" -> type = value.toLowerCase(Locale.ROOT);
                case "skipme" -> {
                    String yesNo = value.toLowerCase(Locale.ROOT);
                    if (!yesNo.equals("yes") && !yesNo.equals("no")) {
                        return Replies.error(alloc, "ERR syntax error");
                    }
                    skipMe = yesNo.equals("yes");
                }
                case "user" -> user = value; // every proxy client is the default user
                case "maxage" -> {
                    maxAge = request.argAsLong(i + 1, -1);
                    if (maxAge < 0) {
                        return Replies.error(alloc, "ERR syntax error");
                    }
                }
                default -> {
                    return Replies.error(alloc, "ERR syntax error");
                }
            }
        }
        int killed = 0;
        long now = System.nanoTime();
        for (ClientSession session : handler.context().sessions()) {
            boolean match = (id < 0 || session.id() == id)
                    && (user == null || user.equals("default"))
                    && (maxAge < 0 || session.ageSeconds(now) > maxAge)
                    && (addr == null || addr.equals(session.addr()))
                    && (laddr == null || laddr.equals(session.laddr()))
                    && (type == null || type.equals(session.isSubscriber() ? "pubsub" : "normal"))
                    && !(skipMe && session == handler.session());
            if (match) {
                kill(session);
                killed++;
            }
        }
        return Replies.integer(alloc, killed);
    }

    private static void kill(ClientSession session) {
        if (session.channel() != null) {
            session.channel().close();
        }
    }
}
