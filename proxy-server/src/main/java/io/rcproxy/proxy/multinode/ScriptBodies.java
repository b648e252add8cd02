package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.protocol.RedisRequest;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The EVAL script bodies this proxy has loaded on every master. One Redis caches a script that EVAL
 * ran, so a later EVALSHA of it works and SCRIPT EXISTS says 1; in a cluster EVAL caches it on one master
 * only. So the first time the proxy sees a body, it also sends {@code SCRIPT LOAD} to every master
 * ({@link MultiNodeCommands#loadEverywhere}), and remembers the body here. SCRIPT FLUSH through the proxy
 * forgets them all. Bounded: past {@link #MAX_BODIES} bodies, or for a body over {@link #MAX_BODY_BYTES},
 * EVAL only caches where it runs, as in Redis Cluster.
 *
 * <p>Shared by every event loop (a concurrent set); lookups do not allocate. Ownership: the remembered
 * bodies are unpooled heap copies owned here; the request is only read.
 */
public final class ScriptBodies {

    static final int MAX_BODIES = 4096;
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final ConcurrentHashMap<ByteBuf, Boolean> loaded = new ConcurrentHashMap<>();
    private final CommandSpec eval;
    private final CommandSpec evalRo;
    private final CommandSpec scriptFlush;

    public ScriptBodies(CommandTable commands) {
        this.eval = commands.lookup("eval");
        this.evalRo = commands.lookup("eval_ro");
        this.scriptFlush = commands.lookup("script|flush");
    }

    /** Whether {@code request} is an EVAL whose body this proxy has not loaded everywhere yet; it is now remembered. */
    public boolean firstSight(CommandSpec spec, RedisRequest request) {
        if ((spec != eval && spec != evalRo) || request.argCount() < 3 || request.argLength(1) > MAX_BODY_BYTES) {
            return false;
        }
        // A slice of the client's frame, compared by content (ByteBuf equality), so a lookup copies nothing.
        ByteBuf body = request.frame().slice(request.argOffset(1), request.argLength(1));
        if (loaded.containsKey(body) || loaded.size() >= MAX_BODIES) {
            return false;
        }
        return loaded.putIfAbsent(Unpooled.copiedBuffer(body), Boolean.TRUE) == null;
    }

    /** SCRIPT FLUSH empties every master's cache: bodies seen again are loaded again. */
    public void seen(CommandSpec spec) {
        if (spec == scriptFlush) {
            loaded.clear();
        }
    }
}
