package io.rcproxy.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import io.rcproxy.cluster.resp.RespDecimal;
import java.nio.charset.StandardCharsets;

/**
 * One client request: its RESP2 multibulk frame ({@code *N\r\n$len\r\nbytes\r\n...}), exactly as it
 * will be forwarded, plus where each argument's bytes sit inside that frame.
 *
 * <p><b>Ownership.</b> The request's reference count <em>is</em> the frame's: {@link RespRequestDecoder}
 * creates it with a count of 1 and passes it down the pipeline; whichever handler ends its journey
 * releases it once ({@link #release()} or {@code ReferenceCountUtil.release}). To forward the bytes
 * and keep the request (a MOVED or ASK may need them again), write {@code frame().retainedDuplicate()}.
 * Writing {@code frame()} itself hands the request's only reference to the transport.
 *
 * <p><b>Threads.</b> Not thread-safe; lives on the event loop of the client connection that sent it.
 *
 * <p>Argument offsets are absolute indices in {@link #frame()} (the frame starts at index 0), so they
 * stay valid when a transport advances the frame's reader index.
 */
public final class RedisRequest implements ReferenceCounted {

    private final ByteBuf frame;
    /** Two ints per argument: offset of its first byte in {@link #frame}, then its length. */
    private final int[] args;
    private final int argCount;

    /**
     * Takes ownership of {@code frame} (one reference). {@code args} holds {@code argCount} pairs of
     * (offset, length) and is kept, not copied; it may be longer than needed.
     */
    public RedisRequest(ByteBuf frame, int[] args, int argCount) {
        if (argCount < 1 || args.length < argCount * 2) {
            throw new IllegalArgumentException("argCount " + argCount + " does not fit args of length " + args.length);
        }
        this.frame = frame;
        this.args = args;
        this.argCount = argCount;
    }

    /** The whole multibulk frame. Not retained for the caller. */
    public ByteBuf frame() {
        return frame;
    }

    public int argCount() {
        return argCount;
    }

    /** Index in {@link #frame()} of argument {@code i}'s first byte. */
    public int argOffset(int i) {
        checkArg(i);
        return args[i << 1];
    }

    public int argLength(int i) {
        checkArg(i);
        return args[(i << 1) + 1];
    }

    /** Argument {@code i} as a slice of the frame; not retained, valid while this request is. */
    public ByteBuf arg(int i) {
        return frame.slice(argOffset(i), argLength(i));
    }

    /** Argument {@code i} decoded as UTF-8. Allocates: for error messages and other rare paths only. */
    public String argString(int i) {
        return frame.toString(argOffset(i), argLength(i), StandardCharsets.UTF_8);
    }

    /**
     * Whether argument {@code i} equals {@code lowercaseAscii} ignoring ASCII case. The expected
     * bytes must already be lower case; only the argument is folded.
     */
    public boolean argEqualsIgnoreCase(int i, byte[] lowercaseAscii) {
        int length = argLength(i);
        if (length != lowercaseAscii.length) {
            return false;
        }
        int offset = args[i << 1];
        for (int j = 0; j < length; j++) {
            if (lowerAscii(frame.getByte(offset + j)) != lowercaseAscii[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Argument {@code i} as a long, parsed as strictly as Redis does (no sign {@code +}, no spaces,
     * no leading zeros).
     *
     * @throws NumberFormatException if it is not such a number (or is {@code Long.MIN_VALUE})
     */
    public long argAsLong(int i) {
        long value = RespDecimal.parse(frame, argOffset(i), argLength(i));
        if (value == RespDecimal.INVALID) {
            throw new NumberFormatException("value is not an integer or out of range");
        }
        return value;
    }

    /** Like {@link #argAsLong(int)}, but returns {@code invalid} instead of throwing. */
    public long argAsLong(int i, long invalid) {
        long value = RespDecimal.parse(frame, argOffset(i), argLength(i));
        return value == RespDecimal.INVALID ? invalid : value;
    }

    static byte lowerAscii(byte b) {
        return (b >= 'A' && b <= 'Z') ? (byte) (b + ('a' - 'A')) : b;
    }

    private void checkArg(int i) {
        if (i < 0 || i >= argCount) {
            throw new IndexOutOfBoundsException("argument " + i + " of " + argCount);
        }
    }

    @Override
    public int refCnt() {
        return frame.refCnt();
    }

    @Override
    public RedisRequest retain() {
        frame.retain();
        return this;
    }

    @Override
    public RedisRequest retain(int increment) {
        frame.retain(increment);
        return this;
    }

    @Override
    public RedisRequest touch() {
        frame.touch();
        return this;
    }

    @Override
    public RedisRequest touch(Object hint) {
        frame.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return frame.release();
    }

    @Override
    public boolean release(int decrement) {
        return frame.release(decrement);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RedisRequest[");
        int shown = Math.min(argCount, 8);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            int length = args[(i << 1) + 1];
            sb.append(length <= 64 ? argString(i) : "<" + length + " bytes>");
        }
        if (shown < argCount) {
            sb.append(" ... (").append(argCount).append(" args)");
        }
        return sb.append(']').toString();
    }
}
