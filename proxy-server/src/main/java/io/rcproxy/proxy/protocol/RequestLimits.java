package io.rcproxy.proxy.protocol;

/**
 * Bounds on what a client may send in one request, checked by {@link RespRequestDecoder} before it
 * allocates anything for a count or length the client announced.
 *
 * <p>Immutable; shared by every connection and every event loop.
 *
 * @param maxBulkLength   largest {@code $len} accepted (Redis's {@code proto-max-bulk-len})
 * @param maxArgs         largest {@code *count} accepted
 * @param maxInlineLength longest inline command line, and longest {@code *count} or {@code $len}
 *                        header line (Redis's {@code PROTO_INLINE_MAX_SIZE})
 */
public record RequestLimits(int maxBulkLength, int maxArgs, int maxInlineLength) {

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
