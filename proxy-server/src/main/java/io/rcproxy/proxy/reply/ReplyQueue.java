package io.rcproxy.proxy.reply;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.proxy.metrics.CommandMetrics;
import java.util.ArrayDeque;

/**
 * A client's replies in request order. Each request appends a {@link PendingReply}; replies complete
 * entries in any order (different masters answer at different speeds); the complete entries at the head
 * are handed to the {@link Sink} in order, so a client sees its replies exactly as a single Redis would
 * send them.
 *
 * <p>Thread: the client's event loop. Ownership: a reply buffer belongs to its entry until it is handed to
 * the sink, which then owns it; entries still queued when the client leaves release theirs.
 */
public final class ReplyQueue {

    /** Where replies go, in order. */
    public interface Sink {
        /** Takes ownership of {@code reply}. */
        void write(ByteBuf reply);

        /** Called once after one or more replies were written in a row. */
        void drained();

        ByteBufAllocator alloc();
    }

    private final ArrayDeque<PendingReply> entries = new ArrayDeque<>();
    private final Sink sink;
    /** CLIENT REPLY OFF or SKIP: entries added now are silent, their replies dropped instead of written. */
    private boolean silent;
    /** CLIENT REPLY OFF, and CLIENT REPLY SKIP for the next request. */
    private boolean repliesOff;
    private boolean skipNext;

    public ReplyQueue(Sink sink) {
        this.sink = sink;
    }

    /** Appends an entry for a request about to be forwarded. */
    public PendingReply add(ByteBuf frame, int slot, int maxRedirects) {
        PendingReply entry = new PendingReply(this, frame, slot, maxRedirects);
        entry.silent(silent);
        entries.add(entry);
        return entry;
    }

    /** Appends a reply the proxy built itself; it goes out as soon as everything before it has. */
    public void addReady(ByteBuf reply) {
        addReady(reply, null, 0);
    }

    /** As {@link #addReady(ByteBuf)}, counting the reply in {@code metrics} (null: not a command). */
    public void addReady(ByteBuf reply, CommandMetrics metrics, long arrivalNanos) {
        if (entries.isEmpty()) {
            if (metrics != null) {
                metrics.replied(reply, false, arrivalNanos);
            }
            if (silent) {
                reply.release(); // CLIENT REPLY OFF/SKIP: the reply is not sent
                return;
            }
            sink.write(reply);
            sink.drained();
            return;
        }
        PendingReply entry = new PendingReply(this, null, PendingReply.ANY_SLOT, 0);
        entry.silent(silent);
        entry.measure(metrics, arrivalNanos);
        entries.add(entry);
        entry.complete(reply);
    }

    /** A published message: written in its turn like {@link #addReady(ByteBuf)}, never silenced. */
    public void addMessage(ByteBuf message) {
        boolean was = silent;
        silent = false;
        try {
            addReady(message);
        } finally {
            silent = was;
        }
    }

    /**
     * Whether replies to the entries added from now on are dropped rather than written. Entries already
     * queued keep what they were given.
     */
    public void silent(boolean on) {
        this.silent = on;
    }

    /**
     * CLIENT REPLY ON, OFF or SKIP. The request that asks is silenced at once for OFF and SKIP (Redis does
     * not answer them); SKIP then silences the next request too.
     */
    public void replyMode(boolean off, boolean skipNextRequest) {
        repliesOff = off;
        skipNext = skipNextRequest;
        silent = off || skipNextRequest;
    }

    /** A request starts being routed: its replies are dropped under OFF, or when SKIP named it. */
    public void requestStarts() {
        silent = repliesOff || skipNext;
        skipNext = false;
    }

    /** The request is routed: replies queued from now on (pushes) follow OFF alone. */
    public void requestRouted() {
        silent = repliesOff;
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    ByteBufAllocator alloc() {
        return sink.alloc();
    }

    /** An entry got its reply: write every complete entry at the head. */
    void onReady(PendingReply entry) {
        if (entries.peek() != entry) {
            return;
        }
        PendingReply head;
        while ((head = entries.peek()) != null && head.isReady()) {
            entries.poll();
            ByteBuf reply = head.takeReply();
            if (head.isSilent()) {
                reply.release(); // asked for under CLIENT REPLY OFF or SKIP
            } else {
                sink.write(reply);
            }
        }
        sink.drained();
    }

    /** The client is gone: release replies that arrived, drop those still to come. */
    public void abandonAll() {
        PendingReply entry;
        while ((entry = entries.poll()) != null) {
            entry.abandon();
        }
    }
}
