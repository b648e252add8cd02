package io.rcproxy.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.cluster.ClusterClientConfig;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.resp.CommandFrame;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.HostAndPort;
import io.rcproxy.cluster.resp.RespValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Our cluster-client, straight to the masters. Workers are {@link AsyncWorker}s started on the client's
 * own event loops (worker i on loop i mod n), so each reply's callback runs on the loop that received it and
 * sends the next command from there without crossing threads.
 *
 * <p>Two ways to call the client ({@code --client-api}):
 * <ul>
 *   <li>{@code typed}: {@link ClusterClient#get}/{@link ClusterClient#set} with byte[] keys, chained on the
 *       returned stage; what a library user writes.</li>
 *   <li>{@code command}: {@link ClusterClient#submit} of a {@link ClusterCommand} whose {@code onReply}
 *       checks the first byte and releases the frame; no future, no parsed value, and each worker gets its
 *       own affinity, so the K connections per node are all used.</li>
 * </ul>
 *
 * <p>{@code mget10}: the client has no MGET of its own, so a worker does what a cluster client does with
 * an MGET across slots (Lettuce's cluster MGET among them): one MGET per slot, all sent at once, the
 * operation done when the last part is in. The ten keys are in ten slots, so that is ten one-key MGETs;
 * each part's value is checked ({@link MgetReply}).
 */
final class ClientTarget implements Target {

    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MGET = "MGET".getBytes(StandardCharsets.US_ASCII);
    private static final int PRELOAD_IN_FLIGHT = 256;

    private final ClusterClient client;
    private final BenchOptions.ClientApi api;

    ClientTarget(List<HostAndPort> seeds, int connectionsPerNode, BenchOptions.ClientApi api) {
        this.client = ClusterClient.start(
                ClusterClientConfig.builder(seeds).connectionsPerNode(connectionsPerNode).build());
        this.api = api;
    }

    @Override
    public String name() {
        return "client";
    }

    @Override
    public String description() {
        int loops = client.routers().size();
        int k = client.config().connectionsPerNode();
        return switch (api) {
            case TYPED -> "cluster-client get/set (CompletionStage), async workers chained on completion, "
                    + loops + " event loops, " + k + " conns/node configured (calls made on a loop carry no "
                    + "affinity, so they share connection 0 of each node)";
            case COMMAND -> "cluster-client submit(ClusterCommand), raw reply frames, async workers chained on "
                    + "completion, " + loops + " event loops, " + k + " conns/node, one affinity per worker";
        };
    }

    @Override
    public void preload(KeySpace keys) throws Exception {
        Semaphore inFlight = new Semaphore(PRELOAD_IN_FLIGHT);
        AtomicLong failures = new AtomicLong();
        AtomicReference<Throwable> first = new AtomicReference<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!inFlight.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("preload stalled: no reply within 10 s");
            }
            client.set(keys.key(i), keys.value(i)).whenComplete((ok, error) -> {
                if (error != null) {
                    failures.incrementAndGet();
                    first.compareAndSet(null, error);
                }
                inFlight.release();
            });
        }
        if (!inFlight.tryAcquire(PRELOAD_IN_FLIGHT, 10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("preload did not finish within 10 s");
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " preload SETs failed, first: " + first.get());
        }
    }

    @Override
    public void start(Operation operation, KeySpace keys, LoadWindow window, int pipeline) {
        List<LoopRouter> routers = client.routers();
        for (int i = 0; i < window.workerCount(); i++) {
            LoopRouter router = routers.get(i % routers.size());
            AsyncWorker worker = api == BenchOptions.ClientApi.TYPED
                    ? new TypedWorker(window, i, operation, keys)
                    : new CommandWorker(window, i, operation, keys);
            router.loop().execute(worker::start);
        }
    }

    /**
     * Fixed-rate workers use the typed API (what a library user writes), worker i on loop i mod n, whatever
     * {@code --client-api} says; an MGET is split by slot as in the closed-loop run.
     */
    @Override
    public void startPaced(Operation operation, KeySpace keys, PacedRun run) {
        List<LoopRouter> routers = client.routers();
        for (int i = 0; i < run.workerCount(); i++) {
            new TypedPacedWorker(run, i, operation, keys, routers.get(i % routers.size())).start();
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private final class TypedPacedWorker extends PacedWorker {

        TypedPacedWorker(PacedRun run, int index, Operation operation, KeySpace keys, LoopRouter router) {
            super(run, index, operation, keys, router.loop());
        }

        @Override
        protected void sendGet(int key, long intendedNanos) {
            client.get(keys.key(key)).whenComplete((value, error) -> done(intendedNanos, message(error)));
        }

        @Override
        protected void sendSet(int key, long intendedNanos) {
            client.set(keys.key(key), keys.value(key)).whenComplete((ok, error) -> done(intendedNanos, message(error)));
        }

        @Override
        protected void sendMget(int[] keyIndexes, long intendedNanos) {
            MgetParts parts = new MgetParts();
            parts.begin(keyIndexes.length);
            for (int key : keyIndexes) {
                client.execute(MGET, keys.key(key)).whenComplete((reply, error) -> {
                    if (parts.partDone(error != null ? message(error) : mgetPartError(reply, keys, key))) {
                        done(intendedNanos, parts.error());
                    }
                });
            }
        }
    }

    private static String message(Throwable error) {
        return error == null ? null : String.valueOf(error.getCause() != null ? error.getCause() : error);
    }

    /** What is wrong with the reply to a one-key MGET part, or null. */
    private static String mgetPartError(RespValue reply, KeySpace keys, int key) {
        if (reply instanceof RespValue.ErrorReply e) {
            return e.message();
        }
        if (reply instanceof RespValue.ArrayReply array && array.elements().size() == 1
                && array.elements().get(0) instanceof RespValue.BulkString bulk
                && MgetReply.matches(bulk.bytes(), keys, key)) {
            return null;
        }
        return "MGET: wrong reply for key " + key + ": " + reply;
    }

    /**
     * The parts of one split MGET still to come, and the first thing wrong with those already in. Parts
     * complete on the worker's loop, but the counter is atomic so nothing depends on that.
     */
    private static final class MgetParts {
        private final AtomicInteger left = new AtomicInteger();
        private volatile String error;

        void begin(int parts) {
            error = null;
            left.set(parts);
        }

        /** Records one part; true when it was the last, so the caller finishes the operation. */
        boolean partDone(String partError) {
            if (partError != null && error == null) {
                error = partError;
            }
            return left.decrementAndGet() == 0;
        }

        String error() {
            return error;
        }
    }

    /** Library-user style: the typed conveniences and their CompletionStage. */
    private final class TypedWorker extends AsyncWorker {

        private final MgetParts parts = new MgetParts();

        TypedWorker(LoadWindow window, int index, Operation operation, KeySpace keys) {
            super(window, index, operation, keys);
        }

        @Override
        protected void sendGet(int key) {
            client.get(keys.key(key)).whenComplete((value, error) -> done(error));
        }

        @Override
        protected void sendSet(int key) {
            client.set(keys.key(key), keys.value(key)).whenComplete((ok, error) -> done(error));
        }

        @Override
        protected void sendMget(int[] keyIndexes) {
            parts.begin(keyIndexes.length);
            for (int key : keyIndexes) {
                client.execute(MGET, keys.key(key)).whenComplete((reply, error) -> {
                    if (parts.partDone(error != null ? message(error) : mgetPartError(reply, keys, key))) {
                        finish(parts.error());
                    }
                });
            }
        }

        private void done(Throwable error) {
            finish(message(error));
        }

        private void finish(String error) {
            if (error == null) {
                replied();
            } else {
                failed(error);
            }
        }
    }

    /** Lowest-level public API: a ClusterCommand per request; the reply frame is inspected, not parsed. */
    private final class CommandWorker extends AsyncWorker {

        private final int affinity;
        private final MgetParts parts = new MgetParts();
        private int[] mgetKeys;

        CommandWorker(LoadWindow window, int index, Operation operation, KeySpace keys) {
            super(window, index, operation, keys);
            this.affinity = index;
        }

        @Override
        protected void sendGet(int key) {
            ByteBuf frame = CommandFrame.encode(ByteBufAllocator.DEFAULT, GET, keys.key(key));
            client.submit(new Request(frame, keys.slot(key), this, -1).affinity(affinity));
        }

        @Override
        protected void sendSet(int key) {
            ByteBuf frame = CommandFrame.encode(ByteBufAllocator.DEFAULT, SET, keys.key(key), keys.value(key));
            client.submit(new Request(frame, keys.slot(key), this, -1).affinity(affinity));
        }

        @Override
        protected void sendMget(int[] keyIndexes) {
            mgetKeys = keyIndexes;
            parts.begin(keyIndexes.length);
            for (int part = 0; part < keyIndexes.length; part++) {
                int key = keyIndexes[part];
                ByteBuf frame = CommandFrame.encode(ByteBufAllocator.DEFAULT, MGET, keys.key(key));
                client.submit(new Request(frame, keys.slot(key), this, part).affinity(affinity));
            }
        }

        /** @param part the MGET part this reply answers, or -1 for a GET or SET */
        void reply(ByteBuf reply, int part) {
            String error;
            try {
                error = part >= 0 ? MgetReply.check(reply, keys, mgetKeys, part, 1) : singleKeyError(reply);
            } finally {
                reply.release();
            }
            if (part >= 0) {
                partFailed(error, part);
            } else if (error == null) {
                replied();
            } else {
                failed(error);
            }
        }

        /** A part of an MGET ended, with {@code error} or (null) right. */
        void partFailed(String error, int part) {
            if (part < 0) {
                failed(error);
            } else if (parts.partDone(error)) {
                if (parts.error() == null) {
                    replied();
                } else {
                    failed(parts.error());
                }
            }
        }

        /** An error reply, or a GET of a missing key ($-1), else null. */
        private String singleKeyError(ByteBuf reply) {
            byte type = reply.getByte(reply.readerIndex());
            if (type == '-') {
                return reply.toString(StandardCharsets.UTF_8).trim();
            }
            if (type == '$' && reply.getByte(reply.readerIndex() + 1) == '-') {
                return "GET returned nil: key not preloaded";
            }
            return null;
        }
    }

    /** One request of a {@link CommandWorker}: a GET, a SET or one part of an MGET. */
    private final class Request extends ClusterCommand {

        private final CommandWorker worker;
        private final int part;

        Request(ByteBuf frame, int slot, CommandWorker worker, int part) {
            super(frame, slot, client.config().maxRedirects());
            this.worker = worker;
            this.part = part;
        }

        @Override
        protected void onReply(ByteBuf reply) {
            worker.reply(reply, part);
        }

        @Override
        protected void onError(String message) {
            worker.partFailed(message, part);
        }
    }
}
