package io.rcproxy.proxy.frontend;

import io.rcproxy.proxy.command.CommandFlag;
import io.rcproxy.proxy.command.CommandSpec;

/**
 * CLIENT PAUSE as Redis 7.0 applies it, to the proxy's clients: until the pause ends (its timeout, or
 * CLIENT UNPAUSE), a paused client's commands wait, in order, and run once it is over. {@code ALL} holds
 * every command, CLIENT UNPAUSE included (as in Redis, only the timeout ends such a pause); {@code WRITE}
 * holds the commands that may change data: those flagged write or may_replicate (EVAL, FCALL, PUBLISH...).
 * A new pause never shortens one in progress, as Redis has it.
 *
 * <p>Thread: any. CLIENT PAUSE sets it on one loop and every loop reads it per request: two volatile
 * fields, written together under this object's lock, read without it (a request racing with the pause
 * command itself may go either way, as with Redis's own clients).
 */
final class ClientPause {

    private volatile long untilMillis;
    private volatile boolean all;

    /** Pauses until {@code until} (epoch ms), {@code writesOnly} for WRITE; an earlier end never wins. */
    synchronized void pause(long until, boolean writesOnly) {
        boolean active = untilMillis > System.currentTimeMillis();
        if (!active || until > untilMillis) {
            untilMillis = until;
        }
        // As Redis: the stronger kind wins while both are in force.
        all = !writesOnly || (active && all);
    }

    synchronized void unpause() {
        untilMillis = 0;
        all = false;
    }

    private synchronized void expired(long until) {
        if (untilMillis == until) {
            untilMillis = 0;
            all = false;
        }
    }

    /** Milliseconds until the pause ends, or 0 when {@code spec} may run now. */
    long holds(CommandSpec spec) {
        long until = untilMillis;
        if (until == 0) {
            return 0;
        }
        long left = until - System.currentTimeMillis();
        if (left <= 0) {
            expired(until); // so later requests skip the clock
            return 0;
        }
        if (all || spec == null) {
            return left;
        }
        return spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE) ? left : 0;
    }
}
