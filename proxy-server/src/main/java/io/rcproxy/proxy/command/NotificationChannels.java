package io.rcproxy.proxy.command;

import io.netty.buffer.ByteBuf;

/**
 * Tells Redis's keyspace notification channels ({@code __keyspace@<db>__:<key>},
 * {@code __keyevent@<db>__:<event>}) from ordinary ones. They differ in a cluster: each master publishes
 * its own keys' events to its own subscribers only (no cluster-bus broadcast), so the proxy subscribes
 * them on every master, and counts them as such.
 *
 * <p>Stateless; any thread. Reads with absolute indices and never moves a buffer's indices.
 */
public final class NotificationChannels {

    private static final String KEYSPACE = "__keyspace@";
    private static final String KEYEVENT = "__keyevent@";

    private NotificationChannels() {
    }

    /** Whether {@code channel} (one char per byte) is a keyspace or keyevent channel. */
    public static boolean isNotification(String channel) {
        return channel.startsWith(KEYSPACE) || channel.startsWith(KEYEVENT);
    }

    /** Whether the {@code length} bytes at {@code index} of {@code buf} name a keyspace or keyevent channel. */
    public static boolean isNotification(ByteBuf buf, int index, int length) {
        return startsWith(buf, index, length, KEYSPACE) || startsWith(buf, index, length, KEYEVENT);
    }

    private static boolean startsWith(ByteBuf buf, int index, int length, String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (buf.getByte(index + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
