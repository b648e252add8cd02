package io.rcproxy.proxy.frontend;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.rcproxy.proxy.reply.PauseReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadPausesTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ReadPauses pauses = new ReadPauses(channel.config());

    @AfterEach
    void close() {
        assertFalse(channel.finish());
    }

    @Test
    void readingStopsWithTheFirstReasonAndResumesOnlyWhenTheLastClears() {
        pauses.pause(PauseReason.PENDING);
        pauses.pause(PauseReason.BACKEND_UNWRITABLE);
        assertFalse(channel.config().isAutoRead());
        pauses.resume(PauseReason.PENDING);
        assertFalse(channel.config().isAutoRead());
        assertTrue(pauses.isPaused(PauseReason.BACKEND_UNWRITABLE));
        pauses.resume(PauseReason.BACKEND_UNWRITABLE);
        assertTrue(channel.config().isAutoRead());
    }

    @Test
    void resumingAReasonThatDidNotPauseChangesNothing() {
        pauses.pause(PauseReason.PINNED);
        pauses.resume(PauseReason.CLIENT_UNWRITABLE);
        assertFalse(channel.config().isAutoRead());
        assertFalse(pauses.isPaused(PauseReason.CLIENT_UNWRITABLE));
    }

    @Test
    void pausingTwiceForOneReasonIsUndoneByOneResume() {
        pauses.pause(PauseReason.PENDING);
        pauses.pause(PauseReason.PENDING);
        pauses.resume(PauseReason.PENDING);
        assertTrue(channel.config().isAutoRead());
    }

    @Test
    void aClosingClientNeverReadsAgain() {
        pauses.pause(PauseReason.PENDING);
        pauses.stopForGood();
        pauses.resume(PauseReason.PENDING);
        assertFalse(channel.config().isAutoRead());
    }
}
