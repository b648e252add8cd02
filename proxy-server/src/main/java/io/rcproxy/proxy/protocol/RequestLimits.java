package io.rcproxy.proxy.protocol;

/**
 * Bounds on what a client may send in one request, checked by {@link RespRequestDecoder} before it
 * allocates anything for a count or length the client announced.
 *
 * <p>Immutable; shared by every connection and every event loop.
 *
 * @param maxBulkLength   largest {@code $len} buffered. A longer bulk, up to {@link #PROTOCOL_MAX_BULK_LENGTH},
 *                        is skipped as it arrives and its request answered with an error (the connection
 *                        stays); a longer one still is a protocol error, as in Redis
 * @param maxArgs         largest {@code *count} accepted
 * @param maxInlineLength longest inline command line, and longest {@code *count} or {@code $len}
 *                        header line (Redis's {@code PROTO_INLINE_MAX_SIZE})
 */
public record RequestLimits(int maxBulkLength, int maxArgs, int maxInlineLength) {

    /** Redis's default {@code proto-max-bulk-len}: a longer bulk is not RESP any Redis accepts. */
    public static final int PROTOCOL_MAX_BULK_LENGTH = 512 * 1024 * 1024;

    /** Redis's own defaults: 512 MB bulks, 1,048,576 arguments, 64 KB inline lines. */
    public static final RequestLimits DEFAULT = new RequestLimits(512 * 1024 * 1024, 1024 * 1024, 64 * 1024);

    public RequestLimits {
        // A frame must fit in one ByteBuf, so a bulk plus its "\r\n" must fit in an int.
        if (maxBulkLength < 0 || maxBulkLength > Integer.MAX_VALUE - 2) {
            throw new IllegalArgumentException("maxBulkLength must be in [0, " + (Integer.MAX_VALUE - 2) + "]: " + maxBulkLength);
        }
        if (maxArgs < 1) {
            throw new IllegalArgumentException("maxArgs must be positive: " + maxArgs);
        }
        if (maxInlineLength < 16) {
            throw new IllegalArgumentException("maxInlineLength must be at least 16: " + maxInlineLength);
        }
    }
}
