package io.rcproxy.proxy.frontend;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.proxy.command.CommandFlag;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.reply.PendingReply;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scripts sent through the proxy that have run longer than the nodes' busy-reply-threshold, so the proxy
 * can answer as one busy Redis would: {@code -BUSY} to every command not flagged {@code allow_busy}, while
 * any such script is still running ({@code proxy.scripts.busy-scope = proxy}; with {@code node} nothing is
 * watched and only the master running a script refuses what reaches it).
 *
 * <p>A script counts as busy once its reply has been owed for longer than the threshold: the proxy cannot
 * see the script run, only wait for its answer, so a script queued behind slow commands counts a little
 * early. Each loop watches the scripts its clients sent ({@link RunningScripts}); the count of busy ones is
 * shared, and it is the one thing a request reads here (one volatile read, written only when a script turns
 * busy or ends). A busy script stops counting the moment its reply is in, before its client reads it.
 *
 * <p>The threshold is read from one master once the slot map is first complete (Redis's default, 5000 ms,
 * until then), and follows each CONFIG SET of {@code busy-reply-threshold} or {@code lua-time-limit}
 * through the proxy that the nodes accept; a later change made on the nodes directly is not seen.
 *
 * <p>Thread: any; the per-loop part on its loop.
 */
final class BusyScripts {

    static final String EVAL_BUSY =
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    static final String FUNCTION_BUSY =
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    private static final long DEFAULT_THRESHOLD_MILLIS = 5000;

    private final boolean enabled;
    private final CommandSpec fcall;
    private final CommandSpec fcallRo;
    private final AtomicInteger busyEvals = new AtomicInteger();
    private final AtomicInteger busyFunctions = new AtomicInteger();
    private volatile long thresholdNanos = TimeUnit.MILLISECONDS.toNanos(DEFAULT_THRESHOLD_MILLIS);
    private final FastThreadLocal<RunningScripts> perLoop = new FastThreadLocal<>();

    BusyScripts(boolean enabled, CommandTable commands) {
        this.enabled = enabled;
        this.fcall = commands.lookup("fcall");
        this.fcallRo = commands.lookup("fcall_ro");
    }

    /** The refusal for {@code spec} now: null unless a script is busy and the command is not allowed then. */
    String refusal(CommandSpec spec) {
        if (busyEvals.get() == 0 && busyFunctions.get() == 0) {
            return null;
        }
        if (spec.has(CommandFlag.ALLOW_BUSY)) {
            return null;
        }
        return busyEvals.get() > 0 ? EVAL_BUSY : FUNCTION_BUSY;
    }

    /** Watches a script sent for a client of {@code loop} (the caller's): {@code reply} is answered when it ends. */
    void started(CommandSpec spec, PendingReply reply, EventLoop loop) {
        if (!enabled) {
            return;
        }
        RunningScripts scripts = perLoop.get();
        if (scripts == null) {
            scripts = new RunningScripts(loop, this);
            perLoop.set(scripts);
        }
        scripts.add(reply, spec == fcall || spec == fcallRo, System.nanoTime());
    }

    long thresholdNanos() {
        return thresholdNanos;
    }

    void turnedBusy(boolean function) {
        (function ? busyFunctions : busyEvals).incrementAndGet();
    }

    void ended(boolean function) {
        (function ? busyFunctions : busyEvals).decrementAndGet();
    }

    /** Takes the nodes' threshold from one master ({@code CONFIG GET busy-reply-threshold}); any thread. */
    void learnThreshold(ClusterClient client) {
        if (!enabled) {
            return;
        }
        client.execute("CONFIG", "GET", "busy-reply-threshold").thenAccept(reply -> {
            if (reply instanceof RespValue.ArrayReply pair && pair.size() == 2
                    && pair.get(0) instanceof RespValue.BulkString name && pair.get(1) instanceof RespValue.BulkString value
                    && !value.isNull()) {
                configSet(name.asString(), value.asString());
            }
        }); // a failure keeps the default: CONFIG SET through the proxy still sets it
    }

    /** The nodes accepted {@code CONFIG SET parameter value}: the threshold follows its two names. */
    void configSet(String parameter, String value) {
        String name = parameter.toLowerCase(Locale.ROOT);
        if (name.equals("busy-reply-threshold") || name.equals("lua-time-limit")) {
            try {
                thresholdNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, Long.parseLong(value.trim())));
            } catch (NumberFormatException ignored) {
                // the nodes accepted it, so it parses there; a form this does not read keeps the old value
            }
        }
    }
}
