package io.rcproxy.cluster.internal.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.topology.ClusterNode;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node for connection unit tests, in memory: each dial gives an {@link EmbeddedChannel} running the real
 * {@link NodeConnectionHandler}, and one more embedded channel serves as the connection's event loop, with
 * a frozen clock the test moves by hand. Everything runs on the test thread.
 */
final class EmbeddedNode {

    static final ClusterNode NODE = ClusterNode.of("127.0.0.1", 7000);
    static final Duration TIMEOUT = Duration.ofMillis(500);

    final EmbeddedChannel clock = new EmbeddedChannel();
    final LoopFlusher flusher = new LoopFlusher(clock.eventLoop());
    final List<EmbeddedChannel> channels = new ArrayList<>();
    /** While true, dials fail at once with "refused". */
    boolean refusing;
    /** While true, dials stay pending until {@link #finishConnect}. */
    boolean slow;
    private ChannelPromise pending;

    EmbeddedNode() {
        clock.freezeTime();
    }

    EventLoop loop() {
        return clock.eventLoop();
    }

    int dials() {
        return channels.size();
    }

    EmbeddedChannel channel() {
        return channels.get(channels.size() - 1);
    }

    final Dialer dialer = (node, owner) -> {
        EmbeddedChannel channel = new EmbeddedChannel(new NodeConnectionHandler(owner, RespLimits.DEFAULT));
        channels.add(channel);
        if (refusing) {
            return channel.newFailedFuture(new ConnectException("refused"));
        }
        if (slow) {
            pending = channel.newPromise();
            return pending;
        }
        return channel.newSucceededFuture();
    };

    void finishConnect() {
        pending.setSuccess();
    }

    void failConnect() {
        pending.setFailure(new ConnectException("refused"));
    }

    ConnectionOptions options(ByteBuf authFrame) {
        return new ConnectionOptions(Transport.NIO, Duration.ofSeconds(1), TIMEOUT, RespLimits.DEFAULT, authFrame);
    }

    /** Runs the end-of-turn flush, as the loop would. */
    void endTurn() {
        clock.runPendingTasks();
    }

    void advance(long millis) {
        clock.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        clock.runScheduledPendingTasks();
        clock.runPendingTasks();
    }

    /** Everything written to the current channel so far, as text. */
    String written() {
        StringBuilder text = new StringBuilder();
        ByteBuf out;
        while ((out = channel().readOutbound()) != null) {
            try {
                text.append(out.toString(StandardCharsets.UTF_8));
            } finally {
                out.release();
            }
        }
        return text.toString();
    }

    /** Redis answers with {@code resp} in one read. */
    void answer(String resp) {
        channel().writeInbound(Unpooled.copiedBuffer(resp, StandardCharsets.UTF_8));
    }

    /** Redis answers with {@code resp} one byte per read. */
    void answerByteByByte(String resp) {
        for (byte b : resp.getBytes(StandardCharsets.UTF_8)) {
            channel().writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
    }

    /** Drops every channel and the loop, releasing what they still hold. */
    void finish() {
        for (EmbeddedChannel channel : channels) {
            channel.finishAndReleaseAll();
        }
        clock.finishAndReleaseAll();
    }
}
