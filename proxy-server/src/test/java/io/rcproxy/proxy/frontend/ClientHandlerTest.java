package io.rcproxy.proxy.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.cluster.internal.connection.ConnectionOptions;
import io.rcproxy.cluster.internal.connection.Transport;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.spi.ClusterListener;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.config.ProxyConfig;
import io.rcproxy.proxy.config.ProxyConfigLoader;
import io.rcproxy.proxy.metrics.ProxyMetrics;
import io.rcproxy.proxy.protocol.RespRequestDecoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The channel adapter on an {@link EmbeddedChannel}: requests in, replies out in order, and the ways a
 * connection ends. The cluster client behind it points at a seed that accepts and never answers, so no slot
 * map loads: every reply here is one the proxy builds itself, which is what this test is about (forwarding
 * is covered by the ITs against real clusters).
 */
class ClientHandlerTest {

    private ServerSocket silentSeed;
    private ClusterClient client;

    @BeforeEach
    void startClient() throws IOException {
        silentSeed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stopClient() throws IOException {
        if (client != null) {
            client.close();
        }
        silentSeed.close();
    }

    private EmbeddedChannel connect(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("proxy.cluster.seeds", "127.0.0.1:" + silentSeed.getLocalPort());
        ProxyConfig config = ProxyConfigLoader.fromMap(all);
        if (client == null) {
            client = ClusterClient.start(config.clusterClientConfig());
        }
        CommandTable commands = CommandTable.builtIn();
        return channel(new FrontendContext(config, client, commands, new ProxyMetrics(commands)));
    }

    /**
     * A client channel built as {@link ClientChannelInitializer} builds one, with a router of the channel's
     * own loop (the embedded one), so replies are flushed by {@link EmbeddedChannel#runPendingTasks}.
     */
    private EmbeddedChannel channel(FrontendContext context) {
        ConnectionOptions options = new ConnectionOptions(Transport.NIO, Duration.ofSeconds(1), Duration.ofSeconds(1),
                RespLimits.DEFAULT);
        return new EmbeddedChannel(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                LoopRouter router = new LoopRouter(ch.eventLoop(), client.topology(), options, 1,
                        Duration.ofSeconds(1), ClusterListener.NONE);
                ch.pipeline().addLast(
                        new RespRequestDecoder(ClientChannelInitializer.requestLimits(context), context.bufferBudget()),
                        new ClientHandler(context, router));
            }
        });
    }

    private EmbeddedChannel connect() {
        return connect(Map.of());
    }

    private static void send(EmbeddedChannel channel, String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.UTF_8));
        channel.runPendingTasks();
    }

    /** Everything the client has been sent so far, as one string. */
    private static String received(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    @Test
    void pipelinedLocalCommandsAreAnsweredInOrder() {
        EmbeddedChannel channel = connect();
        send(channel, "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nPING there\r\n");
        assertEquals("+PONG\r\n$2\r\nhi\r\n$5\r\nthere\r\n", received(channel));
        assertTrue(channel.isActive());
        channel.finishAndReleaseAll();
    }

    @Test
    void unknownCommandsWrongArityAndCrossSlotGetRedisErrorsAndTheConnectionStays() {
        EmbeddedChannel channel = connect();
        send(channel, "NOSUCH a b\r\nGET\r\nRENAME a b\r\n");
        assertEquals("-ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' \r\n"
                + "-ERR wrong number of arguments for 'get' command\r\n"
                + "-CROSSSLOT Keys in request don't hash to the same slot\r\n", received(channel));
        assertTrue(channel.isActive());
        channel.finishAndReleaseAll();
    }

    @Test
    void helloThreeSwitchesTheRepliesTheProxyBuildsAndResetSwitchesBack() {
        EmbeddedChannel channel = connect();
        send(channel, "CLIENT GETNAME\r\nHELLO 3 SETNAME app\r\nCLIENT GETNAME\r\nCLIENT SETNAME \"\"\r\n"
                + "CLIENT GETNAME\r\nRESET\r\nCLIENT GETNAME\r\n");
        String replies = received(channel);
        assertTrue(replies.startsWith("$-1\r\n%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), replies);
        assertTrue(replies.contains("$5\r\nproto\r\n:3\r\n"), replies);
        assertTrue(replies.endsWith("*0\r\n$3\r\napp\r\n+OK\r\n_\r\n+RESET\r\n$-1\r\n"), replies);
        channel.finishAndReleaseAll();
    }

    @Test
    void aRefusedHelloChangesNothing() {
        EmbeddedChannel channel = connect(Map.of("proxy.auth.failure-delay", "0s")); // WRONGPASS at once
        send(channel, "HELLO 4\r\nHELLO 3 AUTH nobody pw\r\nHELLO 3 SETNAME \"bad name\"\r\nHELLO 3 SETNAME\r\n"
                + "CLIENT GETNAME\r\nHELLO\r\n");
        String replies = received(channel);
        assertTrue(replies.startsWith("-NOPROTO unsupported protocol version\r\n"
                + "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
                + "-ERR Client names cannot contain spaces, newlines or special characters.\r\n"
                + "-ERR Syntax error in HELLO option 'SETNAME'\r\n"
                + "$-1\r\n*14\r\n"), replies);
        assertTrue(replies.contains("$5\r\nproto\r\n:2\r\n"), replies);
        channel.finishAndReleaseAll();
    }

    @Test
    void aClientThatLeavesWhileItsWrongPassIsDelayedLeaksNoReplyQueuedBehindIt() {
        EmbeddedChannel channel = connect(); // failure-delay 100 ms: the WRONGPASS is still due when it leaves
        send(channel, "HELLO 3 AUTH nobody pw\r\nPING\r\nECHO behind\r\n");
        assertEquals("", received(channel), "nothing may overtake the delayed refusal");
        channel.finishAndReleaseAll(); // the class's leak check fails the test on an unreleased reply
    }

    @Test
    void aKeyedCommandBeforeAnySlotMapIsLoadedGetsAPromptClusterDown() {
        EmbeddedChannel channel = connect();
        send(channel, "GET k\r\nPING\r\n");
        String replies = received(channel);
        assertTrue(replies.startsWith("-CLUSTERDOWN No slot map loaded yet"), replies);
        assertTrue(replies.endsWith("\r\n+PONG\r\n"), replies);
        channel.finishAndReleaseAll();
    }

    @Test
    void quitIsAnsweredThenTheConnectionClosesAndLaterRequestsAreDropped() {
        EmbeddedChannel channel = connect();
        send(channel, "PING\r\nQUIT\r\nPING\r\n");
        assertEquals("+PONG\r\n+OK\r\n", received(channel));
        assertFalse(channel.isActive());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aMalformedRequestGetsEarlierRepliesThenOneProtocolErrorThenTheConnectionCloses() {
        EmbeddedChannel channel = connect();
        send(channel, "PING\r\n*1\r\n$x\r\nPING\r\n");
        String replies = received(channel);
        assertTrue(replies.startsWith("+PONG\r\n-ERR Protocol error: "), replies);
        assertEquals(2, replies.split("\r\n").length, replies);
        assertFalse(channel.isActive());
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestOverTheBulkLimitIsRefusedInItsPlaceAndTheConnectionStaysUsable() {
        EmbeddedChannel channel = connect(Map.of("proxy.limits.max-bulk-length", 16));
        send(channel, "PING\r\n*2\r\n$4\r\nECHO\r\n$20\r\n01234567890123456789\r\nPING\r\n");
        String replies = received(channel);
        assertTrue(replies.startsWith("+PONG\r\n-ERR request with a bulk of 20 bytes exceeds"), replies);
        assertTrue(replies.endsWith("\r\n+PONG\r\n"), replies);
        assertTrue(channel.isActive());
        channel.finishAndReleaseAll();
    }

    @Test
    void aClientPastMaxClientsIsToldSoAndClosedWhileEarlierOnesStay() {
        connect(); // starts the cluster client
        // Two channels on one context, so they share its client count.
        Map<String, Object> settings = new HashMap<>();
        settings.put("proxy.cluster.seeds", "127.0.0.1:" + silentSeed.getLocalPort());
        settings.put("proxy.limits.max-clients", 1);
        ProxyConfig config = ProxyConfigLoader.fromMap(settings);
        CommandTable commands = CommandTable.builtIn();
        FrontendContext context = new FrontendContext(config, client, commands, new ProxyMetrics(commands));
        EmbeddedChannel admitted = channel(context);
        EmbeddedChannel refused = channel(context);
        refused.runPendingTasks();
        String refusal = received(refused);
        assertTrue(refusal.startsWith("-ERR max number of clients reached"), refusal);
        assertFalse(refused.isActive());
        assertTrue(admitted.isActive());
        assertNull(admitted.readOutbound());
        admitted.finishAndReleaseAll();
        refused.finishAndReleaseAll();
    }
}
