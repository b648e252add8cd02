package io.rcproxy.cluster.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClusterCommandTest {

    private static final long WINDOW = TimeUnit.SECONDS.toNanos(3);

    /** Records what it was finished with. */
    private static final class Probe extends ClusterCommand {
        String error;
        int replies;

        Probe(int maxRedirects) {
            super(Unpooled.copiedBuffer(new byte[] {'*', '0', '\r', '\n'}), 0, maxRedirects);
        }

        @Override
        protected void onReply(ByteBuf reply) {
            replies++;
            reply.release();
        }

        @Override
        protected void onError(String message) {
            error = message;
        }
    }

    @Test
    void retryWindowStartsAtTheFirstRetryAndEndsAfterIt() {
        Probe command = new Probe(5);
        long start = 1_000_000_000L;
        assertTrue(command.withinRetryWindow(start, WINDOW));
        assertTrue(command.withinRetryWindow(start + WINDOW - 1, WINDOW));
        assertFalse(command.withinRetryWindow(start + WINDOW, WINDOW));
        assertFalse(command.withinRetryWindow(start + WINDOW + 1, WINDOW), "the first deadline holds");
        command.fail("ERR done");
    }

    @Test
    void aZeroWindowNeverRetries() {
        Probe command = new Probe(5);
        assertFalse(command.withinRetryWindow(42, 0));
        command.fail("ERR done");
    }

    @Test
    void retriesCountAsRedirectsWithoutSpendingTheRedirectBudget() {
        Probe command = new Probe(5);
        assertFalse(command.wasRedirected());
        assertEquals(0, command.spendRetry());
        assertEquals(1, command.spendRetry());
        assertTrue(command.wasRedirected());
        assertEquals(5, command.redirectsLeft());
        command.fail("ERR done");
    }

    @Test
    void aCommandWithABudgetFollowsRedirectsAndSpendsIt() {
        Probe command = new Probe(1);
        assertTrue(command.followsRedirects());
        assertTrue(command.spendRedirect());
        assertFalse(command.spendRedirect());
        assertTrue(command.wasRedirected());
        command.fail("ERR done");
        assertEquals("ERR done", command.error);
    }

    @Test
    void aCommandWithoutABudgetFollowsNothing() {
        Probe command = new Probe(0);
        assertFalse(command.followsRedirects());
        command.complete(Unpooled.copiedBuffer(new byte[] {'+', 'O', 'K', '\r', '\n'}));
        assertEquals(1, command.replies);
        assertEquals(null, command.error);
    }
}
