package io.rcproxy.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.rcproxy.cluster.internal.connection.Transport;
import io.rcproxy.cluster.internal.resp.RespFrameScanner;
import io.rcproxy.cluster.topology.HostAndPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Plain RESP to one address: the proxy, or (target {@code single}) one stand-alone redis-server, which
 * shows what the load generator itself can do. Each worker is a connection driven by one Netty event
 * loop shared by all workers (no thread per worker, so the generator's own cost stays small and equal for
 * every target): it writes {@code pipeline} commands, waits for their replies, then repeats. Latency is
 * measured from the write to each reply. With {@code resp3} (target {@code proxy3}) each connection says
 * {@code HELLO 3} first, so the same load measures what RESP3 costs against RESP2.
 *
 * <p>{@code mget10} is one {@code MGET} of ten keys in ten slots, as an application would send it to one
 * Redis; splitting it by slot is the proxy's job. Every value is checked ({@link MgetReply}).
 */
final class RespTarget implements Target {

    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MGET = "MGET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HELLO = "HELLO".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] THREE = "3".getBytes(StandardCharsets.US_ASCII);
    private static final int PRELOAD_BATCH = 200;

    private final String name;
    private final HostAndPort address;
    private final int timeoutMillis;
    private final boolean preloads;
    private final boolean resp3;
    private final Transport transport = Transport.best();
    private EventLoopGroup group;

    /**
     * @param preloads whether {@link #preload} writes the keys through this address (a single server must;
     *                 the proxy's cluster is preloaded directly)
     * @param resp3    whether each worker says HELLO 3 before its first command
     */
    RespTarget(String name, HostAndPort address, int timeoutMillis, boolean preloads, boolean resp3) {
        this.name = name;
        this.address = address;
        this.timeoutMillis = timeoutMillis;
        this.preloads = preloads;
        this.resp3 = resp3;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return (resp3 ? "RESP3" : "plain RESP") + " to " + address + ", one connection per worker on one Netty "
                + "event loop, a pipeline's commands written then their replies read";
    }

    @Override
    public void preload(KeySpace keys) throws IOException {
        if (!preloads) {
            return;
        }
        try (RespConnection connection = new RespConnection(address.host(), address.port(), timeoutMillis)) {
            for (int from = 0; from < keys.size(); from += PRELOAD_BATCH) {
                int to = Math.min(keys.size(), from + PRELOAD_BATCH);
                for (int i = from; i < to; i++) {
                    connection.append(SET, keys.key(i), keys.value(i));
                }
                connection.flush();
                for (int i = from; i < to; i++) {
                    String error = connection.readReply();
                    if (error != null) {
                        throw new IOException("preload SET through " + address + " failed: " + error);
                    }
                }
            }
        }
    }

    @Override
    public void start(Operation operation, KeySpace keys, LoadWindow window, int pipeline) throws IOException {
        Bootstrap bootstrap = bootstrap();
        for (int i = 0; i < window.workerCount(); i++) {
            Worker worker = new Worker(i, operation, keys, window, pipeline);
            ChannelFuture connected = bootstrap.clone().handler(worker)
                    .connect(address.host(), address.port()).awaitUninterruptibly();
            if (!connected.isSuccess()) {
                throw new IOException("cannot connect to " + name + " at " + address + ": "
                        + connected.cause().getMessage(), connected.cause());
            }
        }
    }

    /** One event loop for every run of this target, made on first use and shut by {@link #close}. */
    private Bootstrap bootstrap() {
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        }
        return new Bootstrap().group(group).channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis);
    }

    /**
     * One worker: a connection that writes {@code pipeline} commands, and when all their replies are in,
     * the next batch. Runs on the target's single event loop, so the load generator costs one thread.
     */
    private final class Worker extends ByteToMessageDecoder {
        private final int pipeline;
        private final WorkerStats stats;
        private final Operation operation;
        private final KeySpace keys;
        private final LoadWindow window;
        private final SplittableRandom random;
        private final RespFrameScanner scanner = new RespFrameScanner();
        private final Operation.Command[] commands;
        private final int[][] mgetKeys;
        private final byte[][] mgetArgs = new byte[1 + KeySpace.MGET_KEYS][];
        private ChannelHandlerContext ctx;
        private int awaiting;
        private int replyIndex;
        private long sent;
        private long batchStart;
        private boolean finished;
        /** HELLO 3 was written and its reply is still to come. */
        private boolean helloPending;

        Worker(int index, Operation operation, KeySpace keys, LoadWindow window, int pipeline) {
            this.pipeline = pipeline;
            this.commands = new Operation.Command[pipeline];
            this.mgetKeys = new int[pipeline][KeySpace.MGET_KEYS];
            this.stats = window.stats(index);
            this.operation = operation;
            this.keys = keys;
            this.window = window;
            this.random = new SplittableRandom(2000L + index);
            mgetArgs[0] = MGET;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            this.ctx = ctx;
            super.channelActive(ctx);
            if (resp3) {
                ByteBuf hello = ctx.alloc().directBuffer(32);
                RespWriter.command(hello, HELLO, THREE);
                helloPending = true;
                ctx.writeAndFlush(hello, ctx.voidPromise());
            } else {
                sendBatch();
            }
        }

        private void sendBatch() {
            if (window.stopping() || sent >= window.maxOpsPerWorker()) {
                finish();
                return;
            }
            ByteBuf out = ctx.alloc().directBuffer(pipeline * (keys.valueSize() + 96));
            for (int p = 0; p < pipeline; p++) {
                commands[p] = operation.next(random);
                int key = keys.randomIndex(random);
                switch (commands[p]) {
                    case GET -> RespWriter.command(out, GET, keys.key(key));
                    case SET -> RespWriter.command(out, SET, keys.key(key), keys.value(key));
                    case MGET -> {
                        keys.pickAcrossSlots(random, mgetKeys[p]);
                        for (int k = 0; k < KeySpace.MGET_KEYS; k++) {
                            mgetArgs[1 + k] = keys.key(mgetKeys[p][k]);
                        }
                        RespWriter.command(out, mgetArgs);
                    }
                }
            }
            sent += pipeline;
            awaiting = pipeline;
            replyIndex = 0;
            batchStart = System.nanoTime();
            ctx.writeAndFlush(out, ctx.voidPromise());
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int length;
            if (helloPending && (length = scanner.scan(in)) >= 0) {
                if (in.getByte(in.readerIndex()) == '-') {
                    stats.error("HELLO 3 refused: " + in.toString(in.readerIndex() + 1, length - 3, StandardCharsets.UTF_8));
                }
                in.skipBytes(length);
                helloPending = false;
                sendBatch();
            }
            while (awaiting > 0 && (length = scanner.scan(in)) >= 0) {
                long end = System.nanoTime();
                byte type = in.getByte(in.readerIndex());
                String wrong = replyError(in, length, replyIndex);
                if (wrong != null) {
                    stats.error(wrong);
                } else if (window.measuring()) {
                    stats.record(batchStart, end);
                }
                in.skipBytes(length);
                replyIndex++;
                if (--awaiting == 0) {
                    sendBatch();
                }
            }
        }

        /** What is wrong with the reply at the reader index to command {@code index}, or null. */
        private String replyError(ByteBuf in, int length, int index) {
            byte type = in.getByte(in.readerIndex());
            if (type == '-') {
                return in.toString(in.readerIndex() + 1, length - 3, StandardCharsets.UTF_8);
            }
            return switch (commands[index]) {
                case GET -> type == '_' || type == '$' && in.getByte(in.readerIndex() + 1) == '-'
                        ? "GET returned nil: key not preloaded" : null;
                case SET -> null;
                case MGET -> MgetReply.check(in, keys, mgetKeys[index], 0, KeySpace.MGET_KEYS);
            };
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            super.channelInactive(ctx);
            if (!finished) {
                stats.error(name + ": connection closed by " + address);
                finish();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            stats.error(name + ": " + cause);
            ctx.close();
        }

        private void finish() {
            if (!finished) {
                finished = true;
                window.workerFinished();
                ctx.close();
            }
        }
    }

    /**
     * Fixed-rate workers: one connection each, all on one event loop as in the closed-loop run; each
     * wake-up writes the commands due as one flush, and replies are matched to their intended send times
     * in order (RESP answers in order on a connection).
     */
    @Override
    public void startPaced(Operation operation, KeySpace keys, PacedRun run) throws IOException {
        Bootstrap bootstrap = bootstrap();
        for (int i = 0; i < run.workerCount(); i++) {
            PacedReplies replies = new PacedReplies();
            ChannelFuture connected = bootstrap.clone().handler(replies)
                    .connect(address.host(), address.port()).awaitUninterruptibly();
            if (!connected.isSuccess()) {
                throw new IOException("cannot connect to " + name + " at " + address + ": "
                        + connected.cause().getMessage(), connected.cause());
            }
            PacedRespWorker worker = new PacedRespWorker(run, i, operation, keys, connected.channel());
            replies.worker = worker;
            connected.channel().eventLoop().execute(worker::hello);
            worker.start();
        }
    }

    /**
     * One fixed-rate connection's commands in flight, oldest first, in ring arrays sized to the cap of
     * {@link PacedWorker#MAX_OUTSTANDING}. Runs on the connection's event loop only.
     */
    private final class PacedRespWorker extends PacedWorker {
        private final Channel channel;
        private final long[] intended = new long[MAX_OUTSTANDING];
        private final Operation.Command[] commands = new Operation.Command[MAX_OUTSTANDING];
        private final int[][] mgetKeys = new int[MAX_OUTSTANDING][];
        private final byte[][] mgetArgs = new byte[1 + KeySpace.MGET_KEYS][];
        private int head;
        private int size;
        private ByteBuf batch;
        private boolean helloPending;

        PacedRespWorker(PacedRun run, int index, Operation operation, KeySpace keys, Channel channel) {
            super(run, index, operation, keys, channel.eventLoop());
            this.channel = channel;
            mgetArgs[0] = MGET;
        }

        void hello() {
            if (resp3) {
                ByteBuf hello = channel.alloc().directBuffer(32);
                RespWriter.command(hello, HELLO, THREE);
                helloPending = true;
                channel.writeAndFlush(hello, channel.voidPromise());
            }
        }

        @Override
        protected void sendGet(int key, long intendedNanos) {
            RespWriter.command(batch(), GET, keys.key(key));
            push(Operation.Command.GET, null, intendedNanos);
        }

        @Override
        protected void sendSet(int key, long intendedNanos) {
            RespWriter.command(batch(), SET, keys.key(key), keys.value(key));
            push(Operation.Command.SET, null, intendedNanos);
        }

        @Override
        protected void sendMget(int[] keyIndexes, long intendedNanos) {
            for (int k = 0; k < KeySpace.MGET_KEYS; k++) {
                mgetArgs[1 + k] = keys.key(keyIndexes[k]);
            }
            RespWriter.command(batch(), mgetArgs);
            push(Operation.Command.MGET, keyIndexes, intendedNanos);
        }

        @Override
        protected void batchSent() {
            ByteBuf out = batch;
            batch = null;
            // The channel releases the buffer once written (or failed).
            channel.writeAndFlush(out, channel.voidPromise());
        }

        private ByteBuf batch() {
            if (batch == null) {
                batch = channel.alloc().directBuffer(keys.valueSize() + 96);
            }
            return batch;
        }

        private void push(Operation.Command command, int[] mget, long intendedNanos) {
            int tail = (head + size) % MAX_OUTSTANDING;
            commands[tail] = command;
            mgetKeys[tail] = mget;
            intended[tail] = intendedNanos;
            size++;
        }

        /** The reply frame at the reader index answers the oldest command in flight. */
        void reply(ByteBuf in, int length) {
            if (helloPending) {
                helloPending = false;
                if (in.getByte(in.readerIndex()) == '-') {
                    run.error("HELLO 3 refused: " + in.toString(in.readerIndex() + 1, length - 3, StandardCharsets.UTF_8));
                }
                return;
            }
            if (size == 0) {
                run.error(name + ": a reply with no command in flight");
                return;
            }
            int slot = head;
            head = (head + 1) % MAX_OUTSTANDING;
            size--;
            byte type = in.getByte(in.readerIndex());
            String error;
            if (type == '-') {
                error = in.toString(in.readerIndex() + 1, length - 3, StandardCharsets.UTF_8);
            } else {
                error = switch (commands[slot]) {
                    case GET -> type == '_' || type == '$' && in.getByte(in.readerIndex() + 1) == '-'
                            ? "GET returned nil: key not preloaded" : null;
                    case SET -> null;
                    case MGET -> MgetReply.check(in, keys, mgetKeys[slot], 0, KeySpace.MGET_KEYS);
                };
            }
            mgetKeys[slot] = null;
            done(intended[slot], error);
        }

        void lost(String why) {
            if (batch != null) {
                batch.release();
                batch = null;
            }
            abandon(why);
        }
    }

    /** Frames the replies of one fixed-rate connection and hands each to its worker, in order. */
    private final class PacedReplies extends ByteToMessageDecoder {
        private final RespFrameScanner scanner = new RespFrameScanner();
        private PacedRespWorker worker;

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int length;
            while ((length = scanner.scan(in)) >= 0) {
                worker.reply(in, length);
                in.skipBytes(length);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            super.channelInactive(ctx);
            if (worker != null) {
                worker.lost(name + ": connection closed by " + address);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (worker != null) {
                worker.lost(name + ": " + cause);
            }
            ctx.close();
        }
    }

    @Override
    public void close() {
        if (group != null) {
            group.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS).awaitUninterruptibly();
            group = null;
        }
    }
}
