package io.rcproxy.proxy.frontend;

import io.netty.channel.ChannelConfig;
import io.rcproxy.proxy.reply.PauseReason;

/**
 * The reasons a client's reads are paused, and the one rule about them: auto-read goes off with the first
 * reason and back on only when the last one clears, unless the client is closing (then it stays off).
 * A bit per {@link PauseReason}, so pausing and resuming allocate nothing.
 *
 * <p>Thread: the client's event loop.
 */
final class ReadPauses {

    private final ChannelConfig config;
    private int reasons;
    private boolean closing;

    ReadPauses(ChannelConfig config) {
        this.config = config;
    }

    void pause(PauseReason reason) {
        boolean wasReading = reasons == 0;
        reasons |= bit(reason);
        if (wasReading) {
            config.setAutoRead(false);
        }
    }

    void resume(PauseReason reason) {
        int bit = bit(reason);
        if ((reasons & bit) == 0) {
            return;
        }
        reasons &= ~bit;
        if (reasons == 0 && !closing) {
            config.setAutoRead(true);
        }
    }

    boolean isPaused(PauseReason reason) {
        return (reasons & bit(reason)) != 0;
    }

    /** The client is closing (QUIT, drain, gone): reads stop now and no reason's end restarts them. */
    void stopForGood() {
        closing = true;
        config.setAutoRead(false);
    }

    private static int bit(PauseReason reason) {
        return 1 << reason.ordinal();
    }
}
