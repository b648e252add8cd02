package io.rcproxy.cluster.resp;

import io.rcproxy.cluster.internal.memory.BufferBudget;

/**
 * Largest lengths a peer may declare in a RESP header. They are checked as soon as the header is
 * read, before any byte is buffered or allocated for what it announces.
 *
 * <p>Immutable and shared freely between threads; the budget it names is itself thread-safe.
 *
 * @param maxBulkLength  largest accepted {@code $<n>} length in bytes
 * @param maxArrayLength largest accepted {@code *<n>} element count
 * @param budget         what large bulks are reserved against before they are buffered
 */
public record RespLimits(int maxBulkLength, int maxArrayLength, BufferBudget budget) {

    /** Redis's own defaults: {@code proto-max-bulk-len} 512 MB and 1,048,576 elements per array; no budget. */
    public static final RespLimits DEFAULT = new RespLimits(512 * 1024 * 1024, 1024 * 1024);

    /** Limits with no buffer budget: nothing is counted or refused for memory. */
    public RespLimits(int maxBulkLength, int maxArrayLength) {
        this(maxBulkLength, maxArrayLength, BufferBudget.UNLIMITED);
    }

    /** The same limits, with large bulks reserved against {@code budget}. */
    public RespLimits withBudget(BufferBudget budget) {
        return new RespLimits(maxBulkLength, maxArrayLength, budget);
    }

    public RespLimits {
        if (budget == null) {
            throw new IllegalArgumentException("budget must not be null; use BufferBudget.UNLIMITED");
        }
        if (maxBulkLength < 0) {
            throw new IllegalArgumentException("maxBulkLength must be >= 0: " + maxBulkLength);
        }
        if (maxArrayLength < 0) {
            throw new IllegalArgumentException("maxArrayLength must be >= 0: " + maxArrayLength);
        }
    }
}
