package io.rcproxy.cluster.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.cluster.ClusterClientConfig;
import io.rcproxy.cluster.spi.ClusterListener;
import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.topology.HostAndPort;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The command timeout blames a node only for time the event loop could have read its reply: a stall of the
 * loop itself (here a handler that sleeps while reading, as a huge request or a GC pause would) longer than
 * the timeout does not fail a command whose reply is waiting in the socket, while a node that really does not
 * answer still times out.
 */
@ExtendWith(RedisClusterExtension.class)
class NodeConnectionTimeoutIT {

    private static final Duration TIMEOUT = Duration.ofMillis(1000);

    /** Sleeps on the event loop whenever its peer sends a byte. */
    private static final class Staller extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws InterruptedException {
            ReferenceCountUtil.release(msg);
            Thread.sleep(2000);
        }
    }

    private static Object outcome(CompletableFuture<RespValue> reply) throws Exception {
        try {
            return reply.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause().getMessage();
        }
    }

    @Test
    void loopStallLongerThanTheTimeoutDoesNotFailACommandWhoseReplyArrived(RedisClusterProcess cluster)
            throws Exception {
        // epoll (else NIO) hands the loop a fixed batch of ready channels per turn, so the reply arriving
        // during the stall is read only on the next turn, after the timeout check; io_uring may drain
        // completions posted during the stall in the same turn and would hide the problem.
        Transport transport = Transport.EPOLL.isAvailable() ? Transport.EPOLL : Transport.NIO;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        List<HostAndPort> seeds = cluster.seeds().stream().map(HostAndPort::parse).toList();
        ClusterClientConfig config = ClusterClientConfig.builder(seeds).eventLoops(1).connectionsPerNode(1)
                .commandTimeout(TIMEOUT).transport(transport).build();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ClusterClient client = ClusterClient.start(config, group, true, ClusterListener.NONE)) {
            Channel staller = new Bootstrap().group(group).channel(transport.socketChannel()).handler(new Staller())
                    .connect(server.getLocalSocketAddress()).sync().channel();
            try (Socket peer = server.accept()) {
                OutputStream out = peer.getOutputStream();
                assertTrue(client.execute("PING").toCompletableFuture().get(10, TimeUnit.SECONDS)
                        instanceof RespValue.SimpleString);

                // Redis answers after 300 ms, in the middle of a 2 s stall of the loop that should read it.
                CompletableFuture<RespValue> blpop = client.execute("BLPOP", "timeout-it:empty", "0.3")
                        .toCompletableFuture();
                Thread.sleep(100);
                out.write('x');
                out.flush();
                Object result = outcome(blpop);
                assertEquals(RespValue.ArrayReply.NULL, result, "BLPOP's own timeout reply, not ours");

                // No stall: a node that does not answer within the timeout is still given up on.
                Object stuck = outcome(client.execute("BLPOP", "timeout-it:empty", "3").toCompletableFuture());
                assertTrue(stuck instanceof RespValue.ErrorReply e && e.message().contains("command timed out"),
                        "stuck BLPOP got: " + stuck);
            } finally {
                staller.close().sync();
            }
        }
    }
}
