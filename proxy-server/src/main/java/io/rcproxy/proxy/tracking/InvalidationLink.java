package io.rcproxy.proxy.tracking;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.internal.connection.PushConnection;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.internal.resp.RespValueParser;
import io.rcproxy.cluster.resp.CommandFrame;
import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.cluster.resp.RespValue.ArrayReply;
import io.rcproxy.cluster.resp.RespValue.BulkString;
import io.rcproxy.cluster.resp.RespValue.ErrorReply;
import io.rcproxy.cluster.resp.RespValue.IntegerReply;
import io.rcproxy.cluster.topology.ClusterNode;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's invalidation feed from one master: a dedicated RESP2 connection that asks for its own
 * id ({@code CLIENT ID}), turns on {@code CLIENT TRACKING ON BCAST REDIRECT <its id>} (every key modified
 * on the master, whoever modified it) and subscribes to {@code __redis__:invalidate}, where Redis then
 * sends each batch of modified keys, or a null on FLUSHALL / FLUSHDB. It is ready once the subscription
 * is confirmed; from then on nothing modified on the master can go unreported while it stays up.
 *
 * <p>Thread: the event loop of its {@link LoopRouter}. Ownership: each frame received is parsed and
 * released here; frames written pass to the connection.
 */
final class InvalidationLink implements PushConnection.Listener {

    private static final Logger log = LoggerFactory.getLogger(InvalidationLink.class);

    static final String CHANNEL = "__redis__:invalidate";

    /** What the link reports to its loop's tracking. */
    interface Events {
        void onReady(InvalidationLink link);

        /** Keys modified on the master (a batch). */
        void onKeys(InvalidationLink link, List<TrackedKey> keys);

        /** The master flushed its data set: every key may have changed. */
        void onFlush(InvalidationLink link);

        /** The link failed, was refused or closed; it will not come back (a new one is opened). */
        void onLost(InvalidationLink link, String why);
    }

    private enum Step { AWAITING_ID, AWAITING_TRACKING, AWAITING_SUBSCRIBE, READY, CLOSED }

    private final ClusterNode node;
    private final Events events;
    private final ByteBufAllocator alloc;
    private final PushConnection connection;
    private Step step = Step.AWAITING_ID;
    private boolean wasReady;

    InvalidationLink(LoopRouter router, ClusterNode node, ByteBufAllocator alloc, Events events) {
        this.node = node;
        this.events = events;
        this.alloc = alloc;
        this.connection = router.openPush(node, this);
        connection.writeFrame(CommandFrame.encode(alloc, "CLIENT", "ID"));
    }

    ClusterNode node() {
        return node;
    }

    boolean isReady() {
        return step == Step.READY;
    }

    /** Whether it ever fed invalidations (a link that never came up lost nothing). */
    boolean wasReady() {
        return wasReady;
    }

    void close() {
        if (step != Step.CLOSED) {
            step = Step.CLOSED;
            connection.close("invalidation link no longer needed");
        }
    }

    @Override
    public void onPush(PushConnection from, ByteBuf frame) {
        RespValue value;
        try {
            value = RespValueParser.parse(frame);
        } catch (RuntimeException e) {
            lose("unreadable frame: " + e.getMessage());
            return;
        } finally {
            frame.release();
        }
        if (value instanceof ErrorReply error) {
            lose("refused: " + error.message());
            return;
        }
        switch (step) {
            case AWAITING_ID -> {
                if (!(value instanceof IntegerReply id)) {
                    lose("CLIENT ID answered " + value);
                    return;
                }
                step = Step.AWAITING_TRACKING;
                connection.writeFrame(CommandFrame.encode(alloc, "CLIENT", "TRACKING", "ON", "BCAST", "REDIRECT",
                        Long.toString(id.value())));
                connection.writeFrame(CommandFrame.encode(alloc, "SUBSCRIBE", CHANNEL));
            }
            case AWAITING_TRACKING -> step = Step.AWAITING_SUBSCRIBE; // +OK; errors were handled above
            case AWAITING_SUBSCRIBE -> {
                step = Step.READY;
                wasReady = true;
                events.onReady(this);
            }
            case READY -> onMessage(value);
            case CLOSED -> { }
        }
    }

    /** {@code message __redis__:invalidate <keys or null>}; nothing else is expected once ready. */
    private void onMessage(RespValue value) {
        if (!(value instanceof ArrayReply array) || array.size() < 2
                || !(array.get(0) instanceof BulkString kind)) {
            return;
        }
        if (!"message".equals(kind.asString()) || array.size() != 3) {
            return;
        }
        RespValue payload = array.get(2);
        if (payload instanceof ArrayReply keys && !keys.isNull()) {
            List<TrackedKey> batch = new ArrayList<>(keys.size());
            for (RespValue key : keys.elements()) {
                if (key instanceof BulkString bulk && !bulk.isNull()) {
                    batch.add(new TrackedKey(bulk.bytes()));
                }
            }
            events.onKeys(this, batch);
        } else {
            events.onFlush(this); // $-1: FLUSHALL, FLUSHDB
        }
    }

    @Override
    public void onConnectionLost(PushConnection from, Throwable cause) {
        if (step != Step.CLOSED) {
            step = Step.CLOSED;
            events.onLost(this, cause == null ? "connection closed" : cause.toString());
        }
    }

    private void lose(String why) {
        if (step != Step.CLOSED) {
            log.warn("invalidation link to {}: {}", node, why);
            step = Step.CLOSED;
            connection.close(why);
            events.onLost(this, why);
        }
    }

    @Override
    public String toString() {
        return "InvalidationLink{" + node + ", " + step + "}";
    }
}
