package io.rcproxy.proxy.pinned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.protocol.RedisRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transaction states a client reaches before any key pins a connection, with a fake client port:
 * what the proxy answers itself, when EXEC aborts, and that every request handed in is released.
 */
class TransactionTest {

    private static final CommandTable COMMANDS = CommandTable.builtIn();

    private final FakeClientPort client = new FakeClientPort();
    private final Transaction transaction = new Transaction(client, new PinnedState(client));

    /** Routes as the pinned state does: inside MULTI first, else the transaction commands. */
    private void send(String... args) {
        RedisRequest request = client.request(args);
        CommandSpec spec = COMMANDS.lookup(request);
        if (transaction.inMulti()) {
            assertTrue(transaction.routeInMulti(spec, request), "handled inside MULTI: " + args[0]);
        } else {
            transaction.routeOutsideMulti(spec, request);
        }
    }

    @AfterEach
    void everyRequestReleased() {
        for (RedisRequest request : client.requests) {
            assertEquals(0, request.frame().refCnt(), "a request handed in was not released");
        }
    }

    @Test
    void multiBeforeAnyKeyIsAnsweredByTheProxyAndAnEmptyExecIsAnEmptyArray() {
        send("MULTI");
        assertTrue(transaction.inMulti());
        assertEquals(0, client.queued);
        send("EXEC");
        assertEquals(List.of("+OK\r\n", "*0\r\n"), client.replies);
        assertTrue(transaction.isIdle());
        assertEquals(-1, client.queued);
    }

    @Test
    void keylessCommandsAreQueuedByTheProxyAndDroppedByDiscard() {
        send("MULTI");
        send("PING");
        send("ECHO", "x");
        assertEquals(2, client.queued);
        send("DISCARD");
        assertEquals(List.of("+OK\r\n", "+QUEUED\r\n", "+QUEUED\r\n", "+OK\r\n"), client.replies);
        assertTrue(transaction.isIdle());
    }

    @Test
    void aCommandTheHandlerRefusedWhileQueuingMakesExecAbort() {
        // The handler answers unknown commands and subcommands itself, then reports them refused.
        send("MULTI");
        transaction.refused();
        send("EXEC");
        assertEquals(List.of("+OK\r\n", "-EXECABORT Transaction discarded because of previous errors.\r\n"),
                client.replies);
        assertTrue(transaction.isIdle());
    }

    @Test
    void keysInDifferentSlotsWhileQueuingAreCrossSlotAndExecAborts() {
        send("MULTI");
        send("MSET", "a", "1", "b", "2");
        send("EXEC");
        assertEquals(List.of("+OK\r\n", "-CROSSSLOT Keys in request don't hash to the same slot\r\n",
                "-EXECABORT Transaction discarded because of previous errors.\r\n"), client.replies);
    }

    @Test
    void subscribingInsideMultiIsRefusedAndAbortsTheExec() {
        send("MULTI");
        send("SUBSCRIBE", "ch");
        send("EXEC");
        assertEquals("-ERR Command 'subscribe' is not allowed in a transaction by the proxy\r\n", client.replies.get(1));
        assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", client.replies.get(2));
    }

    @Test
    void aNestedMultiIsAnErrorThatDoesNotAbortTheTransaction() {
        send("MULTI");
        send("MULTI");
        send("WATCH", "k");
        send("EXEC");
        assertEquals(List.of("+OK\r\n", "-ERR MULTI calls can not be nested\r\n",
                "-ERR WATCH inside MULTI is not allowed\r\n", "*0\r\n"), client.replies);
    }

    @Test
    void execAndDiscardWithoutMultiAreErrors() {
        send("EXEC");
        send("DISCARD");
        assertEquals(List.of("-ERR EXEC without MULTI\r\n", "-ERR DISCARD without MULTI\r\n"), client.replies);
        assertTrue(transaction.isIdle());
    }

    @Test
    void waitWithNothingPinnedGoesToTheSharedConnectionsAndUnwatchIsAnswered() {
        send("WAIT", "1", "0");
        send("UNWATCH");
        assertEquals(List.of("WAIT on shared connections", "+OK\r\n"), client.replies);
    }

    @Test
    void quitAndResetInsideMultiGoTheUsualWay() {
        send("MULTI");
        RedisRequest quit = client.request("QUIT");
        assertFalse(transaction.routeInMulti(COMMANDS.lookup(quit), quit));
        quit.release();
        assertTrue(transaction.inMulti());
    }

    @Test
    void resetOfAnUnpinnedTransactionEndsItAndReleasesWhatWasQueued() {
        send("MULTI");
        send("PING");
        transaction.reset();
        assertTrue(transaction.isIdle());
        assertEquals(-1, client.queued);
    }
}
