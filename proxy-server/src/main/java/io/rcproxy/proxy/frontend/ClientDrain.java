package io.rcproxy.proxy.frontend;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.group.ChannelGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The client half of a graceful shutdown. Every client connection stops reading, so no new request
 * starts; each closes by itself as soon as every reply it owes has been written; whatever is still open
 * when the grace period ends is closed anyway, failing its outstanding replies.
 *
 * <p>What "in flight" means here: a request the proxy has read (taken off the socket and framed) before
 * the drain reached its connection. Bytes still in the kernel's receive buffer are never read, so their
 * commands never run: the client sees the connection close, as it would with a Redis server shutting
 * down, and no command runs without its reply reaching the client (within the grace period).
 *
 * <p>Threads: {@link #drain} runs on the thread shutting the proxy down and blocks; the per-connection
 * step runs on each connection's own event loop.
 */
public final class ClientDrain {

    private ClientDrain() {
    }

    /**
     * Drains {@code clients}, waiting up to {@code grace}, then closes what is left.
     *
     * @return the number of connections that had to be closed with replies outstanding
     */
    public static int drain(ChannelGroup clients, Duration grace) {
        List<Channel> channels = new ArrayList<>(clients);
        for (Channel channel : channels) {
            try {
                channel.eventLoop().execute(() -> {
                    ClientHandler handler = channel.pipeline().get(ClientHandler.class);
                    if (handler != null) {
                        handler.drain();
                    } else {
                        channel.close();
                    }
                });
            } catch (RejectedExecutionException loopGone) {
                channel.close();
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        int forced = 0;
        for (Channel channel : channels) {
            ChannelFuture closed = channel.closeFuture();
            long left = deadline - System.nanoTime();
            if (left <= 0 || !closed.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                if (channel.isOpen()) {
                    forced++;
                }
            }
        }
        clients.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        return forced;
    }
}
