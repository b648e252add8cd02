package io.rcproxy.cluster.resp;

/**
 * Largest lengths a peer may declare in a RESP header. They are checked as soon as the header is
 * read, before any byte is buffered or allocated for what it announces.
 *
 * <p>Immutable; shared freely between threads.
 *
 * @param maxBulkLength  largest accepted {@code $<n>} length in bytes
 * @param maxArrayLength largest accepted {@code *<n>} element count
 */
public record RespLimits(int maxBulkLength, int maxArrayLength) {

    /** Redis's own defaults: {@code proto-max-bulk-len} 512 MB and 1,048,576 elements per array. */
    public static final RespLimits DEFAULT = new RespLimits(512 * 1024 * 1024, 1024 * 1024);

    public RespLimits {
        if (maxBulkLength < 0) {
            throw new IllegalArgumentException("maxBulkLength must be >= 0: " + maxBulkLength);
        }
        if (maxArrayLength < 0) {
            throw new IllegalArgumentException("maxArrayLength must be >= 0: " + maxArrayLength);
        }
    }
}
