package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.internal.connection.PushConnection;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.RedisErrors;
import io.rcproxy.proxy.reply.Replies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's MONITOR: a {@link PushConnection} to every master, each sent {@code MONITOR}; the client
 * gets {@code +OK} once every master has said it, then every master's feed, in Redis's own line format
 * ({@code +<seconds.micros> [<db> <addr>] "cmd" "arg"...}, the address being the proxy's connection to
 * that master). Lines are interleaved by their timestamps: each is held for {@link #WINDOW_MILLIS} and the
 * lines held are written oldest first, so feeds that arrive within that window of each other come out in
 * time order. The feed stops when the client leaves or sends RESET; a master whose connection drops stops
 * feeding (it is not reopened), and so does a master added to the cluster after MONITOR.
 *
 * <p>A client more than {@code proxy.limits.pubsub-output-buffer} bytes behind is disconnected, so a
 * busy cluster cannot fill the proxy's memory through one slow monitor.
 *
 * <p>Thread: the client's event loop. Ownership: lines received are held in {@link #held} until written to
 * the client (or released when it stops); the {@code +OK}s are released on arrival.
 */
final class MonitorFeed implements PushConnection.Listener {

    private static final Logger log = LoggerFactory.getLogger(MonitorFeed.class);
    /** How long a line waits for older lines from other masters. */
    static final long WINDOW_MILLIS = 20;

    private final ClientPort client;
    private final List<PushConnection> feeds = new ArrayList<>();
    private final PriorityQueue<Line> held = new PriorityQueue<>();
    private PendingReply started;
    private int unconfirmed;
    private long sequence;
    private boolean flushScheduled;
    private boolean stopped;

    private MonitorFeed(ClientPort client) {
        this.client = client;
    }

    /** Starts monitoring every master for {@code client}; null (with the error answered) when there is none. */
    static MonitorFeed start(ClientPort client, RedisRequest request) {
        List<ClusterNode> masters = client.router().topology().slotMap().masters();
        if (masters.isEmpty()) {
            client.answerError(request, RedisErrors.CLUSTER_DOWN);
            return null;
        }
        request.release();
        MonitorFeed feed = new MonitorFeed(client);
        feed.started = client.enqueue(null, ClusterCommand.ANY_SLOT, 0);
        feed.unconfirmed = masters.size();
        for (ClusterNode master : masters) {
            PushConnection connection = client.router().openPush(master, feed);
            feed.feeds.add(connection);
            if (!connection.writeFrame(PushFrames.command(client.alloc(), "MONITOR", List.of()))) {
                feed.fail(RedisErrors.subscriptionDown(master));
                return feed;
            }
        }
        return feed;
    }

    boolean isStopped() {
        return stopped;
    }

    @Override
    public void onPush(PushConnection connection, ByteBuf frame) {
        if (stopped) {
            frame.release();
            return;
        }
        if (started != null) {
            // Until every master said +OK, a frame is a master's answer to MONITOR.
            if (PushFrames.isError(frame)) {
                String message = frame.toString(frame.readerIndex() + 1, frame.readableBytes() - 3,
                        StandardCharsets.ISO_8859_1);
                frame.release();
                fail(message);
                return;
            }
            if (frame.readableBytes() <= 5) {
                frame.release();
                if (--unconfirmed == 0) {
                    PendingReply entry = started;
                    started = null;
                    entry.complete(Replies.ok());
                }
                return;
            }
        }
        held.add(new Line(timestampMicros(frame), sequence++, frame));
        if (!flushScheduled) {
            flushScheduled = true;
            client.router().loop().schedule(this::flush, WINDOW_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Writes what is held, oldest first, unless the client is too far behind. */
    private void flush() {
        flushScheduled = false;
        if (stopped) {
            return;
        }
        long limit = client.pubsubOutputLimit();
        Line line;
        while ((line = held.poll()) != null) {
            if (client.unwrittenBytes() + line.frame.readableBytes() > limit) {
                line.frame.release();
                log.warn("closing monitor {}: more than {} bytes unwritten", client.address(), limit);
                stop();
                client.closeNow();
                return;
            }
            client.push(line.frame);
        }
    }

    @Override
    public void onConnectionLost(PushConnection connection, Throwable cause) {
        feeds.remove(connection);
        if (started != null) {
            fail(RedisErrors.subscriptionLost(connection.node()));
        } else if (!stopped) {
            log.info("monitor feed from {} lost", connection.node());
        }
    }

    private void fail(String message) {
        PendingReply entry = started;
        started = null;
        stop();
        if (entry != null) {
            entry.fail(message);
        }
    }

    /** RESET, or the client gone: close every feed and drop what is held. */
    void stop() {
        stopped = true;
        Line line;
        while ((line = held.poll()) != null) {
            line.frame.release();
        }
        List<PushConnection> all = new ArrayList<>(feeds);
        feeds.clear();
        for (PushConnection connection : all) {
            connection.close("monitor ended");
        }
        if (started != null) {
            PendingReply entry = started;
            started = null;
            entry.fail(RedisErrors.CLIENT_DISCONNECTED);
        }
    }

    /** The {@code +seconds.micros} at the start of a feed line, in microseconds; 0 if it has none. */
    static long timestampMicros(ByteBuf frame) {
        long micros = 0;
        int digitsAfterPoint = -1;
        int end = Math.min(frame.writerIndex(), frame.readerIndex() + 24);
        for (int i = frame.readerIndex() + 1; i < end; i++) {
            byte b = frame.getByte(i);
            if (b == '.') {
                digitsAfterPoint = 0;
            } else if (b >= '0' && b <= '9' && digitsAfterPoint < 6) {
                micros = micros * 10 + (b - '0');
                if (digitsAfterPoint >= 0) {
                    digitsAfterPoint++;
                }
            } else if (b < '0' || b > '9') {
                break;
            }
        }
        for (int d = Math.max(0, digitsAfterPoint); d < 6; d++) {
            micros *= 10;
        }
        return micros;
    }

    /** A held line: ordered by timestamp, then by arrival. */
    private record Line(long micros, long arrival, ByteBuf frame) implements Comparable<Line> {
        @Override
        public int compareTo(Line other) {
            int byTime = Long.compare(micros, other.micros);
            return byTime != 0 ? byTime : Long.compare(arrival, other.arrival);
        }
    }
}
