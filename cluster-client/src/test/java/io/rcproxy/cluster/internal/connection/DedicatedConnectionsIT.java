package io.rcproxy.cluster.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.rcproxy.cluster.resp.CommandFrame;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import io.rcproxy.cluster.topology.ClusterNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The idle pool of dedicated connections against a real Redis node: what comes back is what was released,
 * the bound and the idle timeout close connections, a connection that is closed or busy is never handed
 * out, and a subscription takes an idle connection over for good. Everything touching a connection runs on the one event loop, as in production.
 */
@ExtendWith(RedisClusterExtension.class)
class DedicatedConnectionsIT {

    private static EventLoopGroup group;
    private static EventLoop loop;
    private static LoopFlusher flusher;
    private static RedisClusterProcess cluster;
    private static ClusterNode node;
    private static int port;
    private DedicatedConnections pool;

    @BeforeAll
    static void start(RedisClusterProcess c) {
        cluster = c;
        port = c.masterPorts().get(0);
        node = ClusterNode.of(RedisClusterProcess.HOST, port);
        group = new MultiThreadIoEventLoopGroup(1, Transport.NIO.ioHandlerFactory());
        loop = group.next();
        flusher = new LoopFlusher(loop);
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closePool() throws Exception {
        if (pool != null) {
            on(() -> {
                pool.close();
                return null;
            });
        }
    }

    private DedicatedConnections pool(int maxIdle, Duration idleTimeout) throws Exception {
        ConnectionOptions options = new ConnectionOptions(Transport.NIO, Duration.ofSeconds(2), Duration.ofSeconds(5),
                RespLimits.DEFAULT, null, new DedicatedPoolOptions(maxIdle, idleTimeout));
        pool = on(() -> new DedicatedConnections(loop, flusher, options));
        return pool;
    }

    @Test
    void acquireAfterReleaseReturnsTheSameConnectionBoundToItsNewOwner() throws Exception {
        DedicatedConnections pool = pool(4, Duration.ofSeconds(30));
        Owner first = new Owner();
        NodeConnection connection = on(() -> pool.acquire(node, first));
        assertEquals("+PONG", ping(connection));
        assertEquals(1, first.replies.size());
        assertTrue(on(() -> pool.release(connection)));
        assertEquals(1, on(() -> pool.idleCount(node)));

        Owner second = new Owner();
        NodeConnection again = on(() -> pool.acquire(node, second));
        assertSame(connection, again);
        assertEquals(0, on(() -> pool.idleCount(node)));
        assertEquals("+PONG", ping(again));
        assertEquals(1, second.replies.size(), "the reply went to the new owner");
        assertEquals(1, first.replies.size(), "and not to the old one");
        assertEquals(1, on(pool::opened));
        assertEquals(1, on(pool::reused));
    }

    @Test
    void releasesBeyondTheBoundAreClosed() throws Exception {
        DedicatedConnections pool = pool(2, Duration.ofSeconds(30));
        List<NodeConnection> connections = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            NodeConnection connection = on(() -> pool.acquire(node, new Owner()));
            ping(connection);
            connections.add(connection);
        }
        assertTrue(on(() -> pool.release(connections.get(0))));
        assertTrue(on(() -> pool.release(connections.get(1))));
        assertFalse(on(() -> pool.release(connections.get(2))), "a third idle connection is one too many");
        assertEquals(NodeConnection.State.CLOSED, on(() -> connections.get(2).state()));
        assertEquals(2, on(() -> pool.idleCount(node)));
        assertSame(connections.get(1), on(() -> pool.acquire(node, new Owner())), "the most recent first");
    }

    @Test
    void idleConnectionsCloseAfterTheIdleTimeout() throws Exception {
        DedicatedConnections pool = pool(4, Duration.ofMillis(200));
        NodeConnection early = on(() -> pool.acquire(node, new Owner()));
        NodeConnection late = on(() -> pool.acquire(node, new Owner()));
        ping(early);
        ping(late);
        on(() -> pool.release(early));
        Thread.sleep(120);
        on(() -> pool.release(late));
        assertTrue(eventually(() -> state(early) == NodeConnection.State.CLOSED, 2000), "the first to go idle");
        assertEquals(NodeConnection.State.ACTIVE, state(late), "idle for less than the timeout yet");
        assertTrue(eventually(() -> state(late) == NodeConnection.State.CLOSED, 2000));
        assertEquals(0, on(() -> pool.idleCount(node)));
        NodeConnection fresh = on(() -> pool.acquire(node, new Owner()));
        assertNotSame(late, fresh);
        assertEquals("+PONG", ping(fresh));
    }

    @Test
    void aConnectionClosedWhileIdleIsNeverHandedOut() throws Exception {
        DedicatedConnections pool = pool(4, Duration.ofSeconds(30));
        NodeConnection closedHere = on(() -> pool.acquire(node, new Owner()));
        ping(closedHere);
        on(() -> pool.release(closedHere));
        on(() -> {
            closedHere.close("test");
            return null;
        });
        NodeConnection next = on(() -> pool.acquire(node, new Owner()));
        assertNotSame(closedHere, next);
        assertEquals("+PONG", ping(next));
    }

    @Test
    void aConnectionRedisClosesWhileIdleLeavesThePool() throws Exception {
        DedicatedConnections pool = pool(4, Duration.ofSeconds(30));
        NodeConnection killed = on(() -> pool.acquire(node, new Owner()));
        ping(killed);
        String id = reply(killed, "CLIENT", "ID").substring(1);
        on(() -> pool.release(killed));
        try (RedisTestConnection admin = cluster.connect(port)) {
            assertEquals(1L, admin.call("CLIENT", "KILL", "ID", id));
        }
        assertTrue(eventually(() -> {
            try {
                return on(() -> pool.idleCount(node)) == 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 2000), "the pool forgot the connection Redis closed");
        NodeConnection next = on(() -> pool.acquire(node, new Owner()));
        assertNotSame(killed, next);
        assertEquals("+PONG", ping(next));
    }

    @Test
    void aConnectionWithAReplyOutstandingIsClosedNotKept() throws Exception {
        DedicatedConnections pool = pool(4, Duration.ofSeconds(30));
        Owner owner = new Owner();
        NodeConnection busy = on(() -> pool.acquire(node, owner));
        ping(busy);
        TextCommand blocked = new TextCommand("BLPOP", "{dedicated-test}empty", "5");
        assertFalse(on(() -> {
            busy.send(blocked);
            return pool.release(busy);
        }), "a BLPOP still waits on it");
        assertEquals(NodeConnection.State.CLOSED, state(busy));
        assertTrue(blocked.result.get(2, TimeUnit.SECONDS).startsWith("-ERR connection to node"),
                "the outstanding command failed: " + blocked.result.get());
        assertEquals(0, on(() -> pool.idleCount(node)));
    }

    @Test
    void aSubscriptionTakesAnIdleConnectionOverForGood() throws Exception {
        DedicatedConnections pool = pool(4, Duration.ofSeconds(30));
        NodeConnection idle = on(() -> pool.acquire(node, new Owner()));
        ping(idle);
        assertTrue(on(() -> pool.release(idle)));
        PushRecorder recorder = new PushRecorder();
        List<String> pushes = recorder.pushes;
        PushConnection subscribed = on(() -> pool.acquirePush(node, recorder));
        assertEquals(0, on(() -> pool.idleCount(node)), "the idle connection left the pool");
        assertEquals(1, on(pool::reused));
        assertEquals(NodeConnection.State.CLOSED, state(idle), "its channel now belongs to the subscription");
        assertEquals(NodeConnection.State.ACTIVE, on(subscribed::state));
        on(() -> subscribed.writeFrame(CommandFrame.encode(ByteBufAllocator.DEFAULT, "SUBSCRIBE", "news")));
        assertTrue(eventually(() -> pushesSeen(pushes) == 1, 2000), "the confirmation is a push");
        assertTrue(on(() -> pushes.get(0)).contains("subscribe"));
        on(() -> {
            subscribed.close("done");
            return null;
        });
        assertEquals(NodeConnection.State.CLOSED, on(subscribed::state));
        assertEquals(0, on(() -> pool.idleCount(node)), "a push connection is never kept");
    }

    @Test
    void nothingIsKeptWhenTheBoundIsZeroOrThePoolIsClosed() throws Exception {
        DedicatedConnections none = pool(0, Duration.ofSeconds(30));
        NodeConnection first = on(() -> none.acquire(node, new Owner()));
        ping(first);
        assertFalse(on(() -> none.release(first)));
        assertEquals(NodeConnection.State.CLOSED, state(first));

        DedicatedConnections closing = pool(4, Duration.ofSeconds(30));
        NodeConnection kept = on(() -> closing.acquire(node, new Owner()));
        NodeConnection late = on(() -> closing.acquire(node, new Owner()));
        ping(kept);
        ping(late);
        assertTrue(on(() -> closing.release(kept)));
        on(() -> {
            closing.close();
            return null;
        });
        assertEquals(NodeConnection.State.CLOSED, state(kept), "closing the pool closes what it kept");
        assertFalse(on(() -> closing.release(late)));
        assertEquals(NodeConnection.State.CLOSED, state(late));
    }

    @Test
    void idleConnectionsToANodeThatIsNoLongerAMasterAreClosed() throws Exception {
        DedicatedConnections pool = pool(4, Duration.ofSeconds(30));
        NodeConnection connection = on(() -> pool.acquire(node, new Owner()));
        ping(connection);
        on(() -> pool.release(connection));
        on(() -> {
            pool.closeIdleExcept(Set.of(node));
            return null;
        });
        assertEquals(1, on(() -> pool.idleCount(node)), "still a master: kept");
        on(() -> {
            pool.closeIdleExcept(Set.of());
            return null;
        });
        assertEquals(0, on(() -> pool.idleCount(node)));
        assertEquals(NodeConnection.State.CLOSED, state(connection));
    }

    // --- helpers ---

    private static String ping(NodeConnection connection) throws Exception {
        return reply(connection, "PING");
    }

    /** Sends a command on the loop and waits for its reply as text ("+PONG", ":12", "-ERR ..."). */
    private static String reply(NodeConnection connection, String... args) throws Exception {
        TextCommand command = new TextCommand(args);
        on(() -> {
            connection.send(command);
            return null;
        });
        return command.result.get(5, TimeUnit.SECONDS);
    }

    private static NodeConnection.State state(NodeConnection connection) {
        try {
            return on(connection::state);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T on(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static boolean eventually(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /** An owner that completes each reply's command, as the router does, and counts what it saw. */
    private static final class Owner implements NodeConnection.Listener {
        final List<String> replies = new ArrayList<>();

        @Override
        public void onReply(NodeConnection connection, ClusterCommand command, ByteBuf reply) {
            replies.add(reply.toString(StandardCharsets.UTF_8));
            command.complete(reply);
        }

        @Override
        public void onConnectionLost(NodeConnection connection, Throwable cause) {
        }
    }

    private static int pushesSeen(List<String> pushes) {
        try {
            return on(pushes::size);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A command whose reply is kept as its first line; releases the reply. */
    private static final class TextCommand extends ClusterCommand {
        final CompletableFuture<String> result = new CompletableFuture<>();

        TextCommand(String... args) {
            super(CommandFrame.encode(ByteBufAllocator.DEFAULT, args), ClusterCommand.ANY_SLOT, 0);
        }

        @Override
        protected void onReply(ByteBuf reply) {
            try {
                String text = reply.toString(StandardCharsets.UTF_8);
                result.complete(text.substring(0, text.indexOf('\r')));
            } finally {
                reply.release();
            }
        }

        @Override
        protected void onError(String message) {
            result.complete("-" + message);
        }
    }
}
