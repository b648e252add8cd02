package io.rcproxy.cluster.internal.memory;

import io.rcproxy.cluster.internal.ClientErrors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One limit on the bytes of large bulk strings the process holds at once, requests and replies together.
 * A decoder reserves a bulk's length when its {@code $<n>} header arrives, before a byte of it is buffered;
 * the reservation goes back when the frame holding the bulk is released ({@link ReservedFrame}) or dropped.
 *
 * <p><b>What is counted.</b> Only bulk strings of at least {@link #largeBulk()} bytes: those are the frames
 * that can exhaust direct memory, and counting only them keeps the shared counter off the small-request hot
 * path (a GET or SET of a few KiB never touches it). <b>Not counted:</b> small bulks, headers, socket read
 * and write buffers, and the allocator's caches. Those are bounded elsewhere (per-client pending limits) or
 * fixed, which is why the proxy sizes this budget below the JVM's direct-memory limit rather than equal to it.
 *
 * <p>Thread-safe: one instance is shared by every event loop. A reservation is one compare-and-set, taken
 * once per large bulk.
 */
public final class BufferBudget {

    /** The smallest bulk counted by default: large enough that ordinary traffic never reaches the counter. */
    public static final int DEFAULT_LARGE_BULK = 256 * 1024;

    /** Counts nothing and refuses nothing: for library users who size their JVM themselves. */
    public static final BufferBudget UNLIMITED = new BufferBudget(Long.MAX_VALUE, Integer.MAX_VALUE);

    private final long limit;
    private final int largeBulk;
    private final AtomicLong used = new AtomicLong();

    /**
     * @param limit     bytes of large bulks that may be held at once
     * @param largeBulk bulks of this many bytes or more are counted; smaller ones are not
     */
    public BufferBudget(long limit, int largeBulk) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        if (largeBulk < 1) {
            throw new IllegalArgumentException("largeBulk must be positive: " + largeBulk);
        }
        this.limit = limit;
        this.largeBulk = largeBulk;
    }

    /** Whether a bulk of {@code length} bytes must be reserved before it is buffered. */
    public boolean counts(long length) {
        return length >= largeBulk;
    }

    /** Reserves {@code bytes}; false, with nothing reserved, when they do not fit under the limit now. */
    public boolean tryReserve(long bytes) {
        for (;;) {
            long now = used.get();
            if (bytes > limit - now) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Gives back bytes reserved earlier; each reservation is released exactly once. */
    public void release(long bytes) {
        if (bytes > 0 && used.addAndGet(-bytes) < 0) {
            throw new IllegalStateException("released more than was reserved: " + used.get());
        }
    }

    /** Bytes reserved now. */
    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }

    public int largeBulk() {
        return largeBulk;
    }

    /**
     * The error text for a bulk that could not be reserved: whether it can never fit, or the budget is full
     * now. Without Redis's leading '-'.
     *
     * @param what           "request" or "reply"
     * @param alreadyHeld    bytes this frame holds already (earlier large bulks of it)
     * @param bulkLength     the bulk that did not fit
     */
    public String refusal(String what, long alreadyHeld, long bulkLength) {
        long total = alreadyHeld + bulkLength;
        if (total > limit) {
            return ClientErrors.neverFits(what, total, limit);
        }
        return ClientErrors.budgetFull(what, bulkLength, used(), limit);
    }

    @Override
    public String toString() {
        return "BufferBudget[used=" + used() + ", limit=" + limit + ", largeBulk=" + largeBulk + "]";
    }
}
