package io.rcproxy.cluster.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rcproxy.cluster.internal.connection.ConnectionOptions;
import io.rcproxy.cluster.internal.connection.LoopFlusher;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.connection.Transport;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.spi.ClusterCommand;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A loop holds RESP3 connections only once a RESP3 command asked for them, and keeps the two apart. */
class LoopConnectionsTest {

    private static final NodeConnection.Listener IGNORE = new NodeConnection.Listener() {
        @Override
        public void onReply(NodeConnection connection, ClusterCommand command, ByteBuf reply) {
            command.complete(reply);
        }

        @Override
        public void onConnectionLost(NodeConnection connection, Throwable cause) {
        }
    };

    @Test
    void respThreePoolsAreCreatedOnFirstUseAndKeptApart() {
        EmbeddedChannel channel = new EmbeddedChannel();
        EventLoop loop = channel.eventLoop();
        ConnectionOptions options = new ConnectionOptions(Transport.NIO, Duration.ofSeconds(1), Duration.ofSeconds(1),
                RespLimits.DEFAULT);
        LoopConnections connections = new LoopConnections(loop, new LoopFlusher(loop), 1, options, IGNORE, Set::of);
        assertEquals(1, connections.allDedicated().size(), "no RESP3 pool before a RESP3 command");
        LoopPools resp2 = connections.pools(false);
        assertEquals(1, connections.allDedicated().size(), "multiplexed RESP3 pools do not open dedicated ones");
        LoopPools resp3 = connections.pools(true);
        assertNotSame(resp2, resp3);
        assertSame(resp3, connections.pools(true), "created once");
        assertNotSame(connections.dedicated(false), connections.dedicated(true));
        assertEquals(2, connections.allDedicated().size());
        assertSame(connections.dedicated(true), connections.allDedicated().get(0));
        int[] count = {0};
        connections.forEachConnection(c -> count[0]++);
        assertEquals(0, count[0], "no node owns a slot: nothing opened ahead of traffic");
        connections.close("test");
        assertFalse(channel.finish());
    }
}
