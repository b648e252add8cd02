package io.rcproxy.proxy.pinned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.Protocol;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The subscriber states reachable without a subscription connection, with a fake client port: the
 * confirmations the proxy answers itself, and Listening versus Detached.
 */
class SubscriberTest {

    private static final CommandTable COMMANDS = CommandTable.builtIn();

    private final FakeClientPort client = new FakeClientPort();
    private final Subscriber subscriber = new Subscriber(client);

    private void send(String... args) {
        RedisRequest request = client.request(args);
        subscriber.route(COMMANDS.lookup(request), request);
    }

    @AfterEach
    void everyRequestReleased() {
        for (RedisRequest request : client.requests) {
            assertEquals(0, request.frame().refCnt(), "a request handed in was not released");
        }
    }

    @Test
    void unsubscribeWithNothingSubscribedIsOneConfirmationWithANilName() {
        send("UNSUBSCRIBE");
        assertEquals(List.of("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n"), client.replies);
        assertArrayEquals(new int[] {0, 0, 0}, client.subscriptions);
    }

    @Test
    void punsubscribeOfNamesNeverSubscribedConfirmsEachName() {
        send("PUNSUBSCRIBE", "a*", "b*");
        assertEquals(List.of("*3\r\n$12\r\npunsubscribe\r\n$2\r\na*\r\n:0\r\n"
                + "*3\r\n$12\r\npunsubscribe\r\n$2\r\nb*\r\n:0\r\n"), client.replies);
    }

    @Test
    void sunsubscribeWithNoShardChannelsIsAnsweredLocally() {
        send("SUNSUBSCRIBE");
        assertEquals(List.of("*3\r\n$12\r\nsunsubscribe\r\n$-1\r\n:0\r\n"), client.replies);
    }

    @Test
    void aSubscriptionCommandWithoutArgumentsIsAWrongArityError() {
        send("SUBSCRIBE");
        assertEquals(List.of("-ERR wrong number of arguments for 'subscribe' command\r\n"), client.replies);
    }

    @Test
    void aNewSubscriberListensWithNothingSubscribedAndResetDetachesIt() {
        assertFalse(subscriber.isSubscribed());
        assertFalse(subscriber.isDetached());
        assertTrue(subscriber.isIdle());
        subscriber.detach();
        assertTrue(subscriber.isDetached());
        assertFalse(subscriber.isSubscribed());
        assertArrayEquals(new int[] {0, 0, 0}, client.subscriptions);
    }

    @Test
    void quitResetAndUnknownCommandsInSubscriberModeGoTheUsualWay() {
        RedisRequest quit = client.request("QUIT");
        assertFalse(subscriber.routeInSubscriberMode(COMMANDS.lookup(quit), quit));
        quit.release();
        RedisRequest unknown = client.request("NOSUCH");
        assertFalse(subscriber.routeInSubscriberMode(COMMANDS.lookup(unknown), unknown));
        unknown.release();
    }

    @Test
    void otherCommandsInSubscriberModeGetRedisRefusal() {
        RedisRequest get = client.request("GET", "k");
        assertTrue(subscriber.routeInSubscriberMode(COMMANDS.lookup(get), get));
        assertEquals(List.of("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                + " are allowed in this context\r\n"), client.replies);
    }

    @Test
    void pingInSubscriberModeAnswersThePushShapedPong() {
        RedisRequest ping = client.request("PING", "hi");
        assertTrue(subscriber.routeInSubscriberMode(COMMANDS.lookup(ping), ping));
        assertEquals(List.of("*2\r\n$4\r\npong\r\n$2\r\nhi\r\n"), client.replies);
    }

    @Test
    void inRespThreeTheConfirmationsTheProxyWritesArePushesWithANull() {
        client.protocol = Protocol.RESP3;
        send("UNSUBSCRIBE");
        send("PUNSUBSCRIBE", "a*");
        send("SUNSUBSCRIBE");
        assertEquals(List.of(">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n",
                ">3\r\n$12\r\npunsubscribe\r\n$2\r\na*\r\n:0\r\n",
                ">3\r\n$12\r\nsunsubscribe\r\n_\r\n:0\r\n"), client.replies);
    }

    @Test
    void inRespThreeEveryCommandGoesTheUsualWayWhileSubscribed() {
        client.protocol = Protocol.RESP3;
        for (String[] args : List.of(new String[] {"GET", "k"}, new String[] {"PING"}, new String[] {"HGETALL", "h"})) {
            RedisRequest request = client.request(args);
            assertFalse(subscriber.routeInSubscriberMode(COMMANDS.lookup(request), request), args[0]);
            request.release();
        }
        assertEquals(List.of(), client.replies);
    }
}
