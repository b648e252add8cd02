package io.rcproxy.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.rcproxy.cluster.internal.memory.BufferBudget;
import io.rcproxy.cluster.internal.memory.LargeFrameCumulator;
import io.rcproxy.cluster.resp.RespDecimal;
import java.util.List;

/**
 * Frames client bytes into {@link RedisRequest}s: RESP2 multibulk ({@code *N\r\n$len\r\n...}) and,
 * as Redis accepts them, inline command lines ({@code PING\r\n}, {@code set foo bar\n}).
 *
 * <p><b>Zero copy.</b> A multibulk request is emitted as a retained slice of the bytes that arrived;
 * an inline one is re-encoded as a new multibulk frame, so downstream handlers only see multibulk.
 * Each emitted request carries one reference, which the handler ending its journey releases.
 *
 * <p><b>Incremental.</b> A frame is not consumed until it is complete, but parsing progress is kept
 * (as offsets from the reader index, which stay valid when read bytes are discarded), so a large
 * request arriving in many pieces is scanned once.
 *
 * <p><b>Limits.</b> Every count and length is checked against {@link RequestLimits} before anything is
 * sized from it; the argument table grows as arguments actually arrive.
 *
 * <p><b>Memory.</b> Large bulks are reserved in the shared {@link BufferBudget} before they are buffered
 * ({@link RequestReservation}) and arrive through a {@link LargeFrameCumulator}, so each is held once
 * rather than copied as the buffer grows. A request that does not fit is skipped as it arrives and a
 * {@link RejectedRequest} takes its place in the stream (the client gets an {@code ERR}, the connection
 * stays usable).
 *
 * <p><b>Fairness.</b> One loop turn decodes at most {@link #WORK_PER_TURN} units of work for a client (an
 * argument, an inline line per 64 bytes, an ignored empty line or {@code *0}). With more left, the decoder fires
 * {@link RequestBacklog#BEHIND} (the frontend stops reading), goes on in a task on a later loop turn, and
 * fires {@link RequestBacklog#CAUGHT_UP} once everything received is decoded ({@link DecodeTurns}). So a 1,048,576-argument
 * request or megabytes of blank lines hold the loop for one slice at a time, not for the whole request.
 *
 * <p><b>Errors.</b> Malformed input throws {@link RespRequestException} carrying Redis's message; from
 * then on the decoder drops everything the channel sends, so the frontend can reply once and close.
 *
 * <p>One instance per client connection, run on that connection's event loop.
 */
public final class RespRequestDecoder extends ByteToMessageDecoder {

    private enum State { START, ARG_COUNT, BULK_LENGTH, BULK_DATA, INLINE, FAILED }

    private static final int INITIAL_ARGS = 8;

    /**
     * Units of work one loop turn may decode for a client: about 1 ms with leak detection off, about 10 ms
     * at paranoid. Small pipelines (redis-benchmark -P 100) never reach it.
     */
    static final int WORK_PER_TURN = 1024;

    private final RequestLimits limits;
    private final LargeFrameCumulator cumulator = new LargeFrameCumulator();
    private State state = State.START;
    private ChannelHandlerContext ctx;
    private final DecodeTurns turns = new DecodeTurns(WORK_PER_TURN, this::continueDecoding);
    private final RequestReservation reservation;
    /** While skipping: bytes of the current bulk's body still to skip. */
    private int skipLeft;

    // The three offsets below are relative to in.readerIndex(), which stays at the frame's first byte
    // until the frame is emitted.
    /** Bytes of the current frame parsed so far. */
    private int parsed;
    /** Bytes already searched for the end of the current line; saves rescanning a partial line. */
    private int scanned;
    private int argCount;
    private int argsRead;
    private int bulkLength;
    /** (offset, length) pairs, relative to the frame's first byte. */
    private int[] args;

    /** Bytes read and not yet framed into a request: CLIENT LIST's {@code qbuf}. Any thread; may be stale. */
    public int bufferedBytes() {
        return internalBuffer().readableBytes();
    }

    /** Capacity of the buffer holding them: CLIENT LIST's {@code rbs}. Any thread; may be stale. */
    public int bufferCapacity() {
        return internalBuffer().capacity();
    }

    public RespRequestDecoder() {
        this(RequestLimits.DEFAULT);
    }

    public RespRequestDecoder(RequestLimits limits) {
        this(limits, BufferBudget.UNLIMITED);
    }

    public RespRequestDecoder(RequestLimits limits, BufferBudget budget) {
        this.limits = limits;
        this.reservation = new RequestReservation(budget, cumulator, limits.maxBulkLength());
        setCumulator(cumulator);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        reservation.release(); // the client left in the middle of a large request
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        turns.readStarted();
        super.channelRead(ctx, msg);
        turns.readEnded(ctx);
    }

    private void continueDecoding() {
        turns.continuationStarted();
        if (ctx == null || ctx.isRemoved() || !ctx.channel().isActive() || state == State.FAILED) {
            return; // nobody left to answer: the rest is dropped with the cumulation
        }
        try {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // Each step returns false when it needs more bytes or has emitted a request; ByteToMessageDecoder
        // calls again while bytes remain and requests keep coming.
        boolean more = true;
        while (more) {
            switch (state) {
                case START -> more = start(ctx, in);
                case ARG_COUNT -> more = decodeArgCount(in);
                case BULK_LENGTH -> more = decodeBulkLength(ctx, in);
                case BULK_DATA -> more = reservation.refused() ? skipBulkData(in, out) : decodeBulkData(in, out);
                case INLINE -> more = decodeInline(ctx, in, out);
                case FAILED -> {
                    in.skipBytes(in.readableBytes());
                    more = false;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    private boolean start(ChannelHandlerContext ctx, ByteBuf in) {
        if (!in.isReadable() || !turns.spend(ctx)) {
            return false;
        }
        parsed = 0;
        scanned = 0;
        state = in.getByte(in.readerIndex()) == '*' ? State.ARG_COUNT : State.INLINE;
        return true;
    }

    private boolean decodeArgCount(ByteBuf in) {
        int cr = findLineEnd(in, "too big mbulk count string", "invalid multibulk length");
        if (cr < 0) {
            return false;
        }
        int lineStart = in.readerIndex() + parsed;
        long count = RespDecimal.parse(in, lineStart + 1, cr - lineStart - 1);
        if (count == RespDecimal.INVALID || count > Integer.MAX_VALUE) {
            throw fail(in, "invalid multibulk length");
        }
        parsed = cr + 2 - in.readerIndex();
        scanned = parsed;
        if (count <= 0) {
            // Redis ignores "*0" and "*-1" without replying.
            in.skipBytes(parsed);
            state = State.START;
            return true;
        }
        if (count > limits.maxArgs()) {
            throw fail(in, "invalid multibulk length");
        }
        argCount = (int) count;
        argsRead = 0;
        args = new int[Math.min(argCount, INITIAL_ARGS) * 2];
        state = State.BULK_LENGTH;
        return true;
    }

    private boolean decodeBulkLength(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() <= parsed || !turns.spend(ctx)) {
            return false;
        }
        int lineStart = in.readerIndex() + parsed;
        byte type = in.getByte(lineStart);
        if (type != '$') {
            throw fail(in, "expected '$', got '" + (char) (type & 0xff) + "'");
        }
        int cr = findLineEnd(in, "too big bulk count string", "invalid bulk length");
        if (cr < 0) {
            return false;
        }
        long length = RespDecimal.parse(in, lineStart + 1, cr - lineStart - 1);
        int frameEnd = cr + 2 - in.readerIndex();
        boolean tooLong = length > limits.maxBulkLength();
        if (length < 0 || (tooLong && length > RequestLimits.PROTOCOL_MAX_BULK_LENGTH)
                || (!tooLong && frameEnd + length + 2 > Integer.MAX_VALUE)) {
            throw fail(in, "invalid bulk length");
        }
        bulkLength = (int) length;
        parsed = frameEnd;
        scanned = parsed;
        state = State.BULK_DATA;
        reservation.bulkAnnounced(length);
        if (reservation.refused()) {
            // Nothing of a refused request is kept: what was parsed goes now, the bulk as it arrives.
            in.skipBytes(parsed);
            parsed = 0;
            scanned = 0;
            skipLeft = bulkLength;
        }
        return true;
    }

    /** A refused request: drops its bulks as they arrive, then answers it in its place in the stream. */
    private boolean skipBulkData(ByteBuf in, List<Object> out) {
        int skip = Math.min(skipLeft, in.readableBytes());
        in.skipBytes(skip);
        skipLeft -= skip;
        if (skipLeft > 0 || in.readableBytes() < 2) {
            return false;
        }
        int end = in.readerIndex();
        if (in.getByte(end) != '\r' || in.getByte(end + 1) != '\n') {
            throw fail(in, "expected '\\r\\n' after bulk");
        }
        in.skipBytes(2);
        if (++argsRead < argCount) {
            state = State.BULK_LENGTH;
            return true;
        }
        out.add(new RejectedRequest(reservation.takeRefusal()));
        args = null;
        state = State.START;
        return false;
    }

    private boolean decodeBulkData(ByteBuf in, List<Object> out) {
        if (in.readableBytes() - parsed < bulkLength + 2) {
            return false;
        }
        int end = in.readerIndex() + parsed + bulkLength;
        if (in.getByte(end) != '\r' || in.getByte(end + 1) != '\n') {
            // Redis skips these two bytes unchecked; we refuse, since forwarding them would desync us.
            throw fail(in, "expected '\\r\\n' after bulk");
        }
        if (argsRead * 2 == args.length) {
            int[] grown = new int[Math.min(argCount, argsRead * 2) * 2];
            System.arraycopy(args, 0, grown, 0, args.length);
            args = grown;
        }
        args[argsRead * 2] = parsed;
        args[argsRead * 2 + 1] = bulkLength;
        argsRead++;
        parsed += bulkLength + 2;
        scanned = parsed;
        if (argsRead < argCount) {
            state = State.BULK_LENGTH;
            return true;
        }
        // The slice keeps the cumulation buffer alive; its one reference now belongs to the request,
        // released by whichever handler ends the request's journey.
        ByteBuf frame = reservation.attachTo(in.readRetainedSlice(parsed));
        out.add(new RedisRequest(frame, args, argCount));
        args = null;
        state = State.START;
        return false;
    }

    private boolean decodeInline(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int lf = in.indexOf(start + scanned, in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            scanned = in.readableBytes();
            if (scanned > limits.maxInlineLength()) {
                throw fail(in, "too big inline request");
            }
            return false;
        }
        if (lf - start > limits.maxInlineLength()) {
            // Stricter than Redis, which only measures a line still waiting for its '\n': the limit
            // must not depend on how the bytes happened to be split into reads.
            throw fail(in, "too big inline request");
        }
        int end = (lf > start && in.getByte(lf - 1) == '\r') ? lf - 1 : lf;
        RedisRequest request;
        try {
            request = InlineCommand.parse(ctx.alloc(), in, start, end, limits.maxArgs());
        } catch (RespRequestException e) {
            throw fail(in, e.getMessage());
        }
        in.readerIndex(lf + 1);
        state = State.START;
        turns.spend((lf - start) >> 6); // splitting a long line is work too
        if (request == null) {
            // Redis ignores an empty line.
            return true;
        }
        out.add(request);
        return false;
    }

    /**
     * Finds the {@code \r} ending the header line that starts at {@code parsed}.
     *
     * @return its absolute index, or -1 when the line (or the {@code \n} after it) has not arrived
     */
    private int findLineEnd(ByteBuf in, String tooLong, String badTerminator) {
        int lineStart = in.readerIndex() + parsed;
        int from = Math.max(lineStart + 1, in.readerIndex() + scanned);
        int cr = in.indexOf(from, in.writerIndex(), (byte) '\r');
        if (cr < 0) {
            scanned = in.readableBytes();
            if (scanned - parsed > limits.maxInlineLength()) {
                throw fail(in, tooLong);
            }
            return -1;
        }
        if (cr + 1 >= in.writerIndex()) {
            // Resume the search at the '\r' once its '\n' has arrived.
            scanned = cr - in.readerIndex();
            return -1;
        }
        if (in.getByte(cr + 1) != '\n') {
            throw fail(in, badTerminator);
        }
        return cr;
    }

    private RespRequestException fail(ByteBuf in, String message) {
        state = State.FAILED;
        args = null;
        reservation.reset();
        in.skipBytes(in.readableBytes());
        return new RespRequestException(message);
    }
}
