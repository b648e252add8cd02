package io.rcproxy.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.cluster.ClusterClientConfig;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.resp.CommandFrame;
import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.HostAndPort;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 */
final class ClientTarget implements Target {

    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
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
            client.set(keys.key(i), keys.value()).whenComplete((ok, error) -> {
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
    public void start(Operation operation, KeySpace keys, LoadWindow window) {
        List<LoopRouter> routers = client.routers();
        for (int i = 0; i < window.workerCount(); i++) {
            LoopRouter router = routers.get(i % routers.size());
            AsyncWorker worker = api == BenchOptions.ClientApi.TYPED
                    ? new TypedWorker(window, i, operation, keys)
                    : new CommandWorker(window, i, operation, keys);
            router.loop().execute(worker::start);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** Library-user style: the typed conveniences and their CompletionStage. */
    private final class TypedWorker extends AsyncWorker {

        TypedWorker(LoadWindow window, int index, Operation operation, KeySpace keys) {
            super(window, index, operation, keys);
        }

        @Override
        protected void send(boolean get, byte[] key) {
            (get ? client.get(key) : client.set(key, keys.value())).whenComplete((value, error) -> {
                        if (error == null) {
                            replied();
                        } else {
                            failed(String.valueOf(error.getCause() != null ? error.getCause() : error));
                        }
                    });
        }
    }

    /** Lowest-level public API: a ClusterCommand per request; the reply frame is inspected, not parsed. */
    private final class CommandWorker extends AsyncWorker {

        private final int affinity;

        CommandWorker(LoadWindow window, int index, Operation operation, KeySpace keys) {
            super(window, index, operation, keys);
            this.affinity = index;
        }

        @Override
        protected void send(boolean get, byte[] key) {
            ByteBuf frame = get
                    ? CommandFrame.encode(ByteBufAllocator.DEFAULT, GET, key)
                    : CommandFrame.encode(ByteBufAllocator.DEFAULT, SET, key, keys.value());
            client.submit(new Request(frame, SlotHash.slot(key), this).affinity(affinity));
        }

        void reply(ByteBuf reply) {
            try {
                byte type = reply.getByte(reply.readerIndex());
                if (type == '-') {
                    failed(reply.toString(StandardCharsets.UTF_8).trim());
                    return;
                }
                if (type == '$' && reply.getByte(reply.readerIndex() + 1) == '-') {
                    failed("GET returned nil: key not preloaded");
                    return;
                }
            } finally {
                reply.release();
            }
            replied();
        }
    }

    /** One request of a {@link CommandWorker}; a GET of a missing key ($-1) counts as an error. */
    private final class Request extends ClusterCommand {

        private final CommandWorker worker;

        Request(ByteBuf frame, int slot, CommandWorker worker) {
            super(frame, slot, client.config().maxRedirects());
            this.worker = worker;
        }

        @Override
        protected void onReply(ByteBuf reply) {
            worker.reply(reply);
        }

        @Override
        protected void onError(String message) {
            worker.failed(message);
        }
    }
}
