package io.rcproxy.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.rcproxy.cluster.internal.connection.ConnectionOptions;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.internal.topology.ClusterTopology;
import io.rcproxy.cluster.resp.CommandFrame;
import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.spi.ClusterListener;
import io.rcproxy.cluster.spi.ReadFrom;
import io.rcproxy.cluster.topology.SlotMap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Redis Cluster client: one {@link LoopRouter} per event loop, sharing one {@link ClusterTopology}.
 *
 * <p>Library users call {@link #execute} and friends from any thread; each calling thread is bound to one
 * event loop on first use, so steady-state calls share no counter with other threads. Code already running
 * on one of the client's loops (the proxy's frontend) uses {@link #router(EventExecutor)} directly and never
 * leaves its thread.
 */
public final class ClusterClient implements AutoCloseable {

    private final ClusterClientConfig config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ClusterTopology topology;
    private final Map<EventExecutor, LoopRouter> routers;
    private final LoopRouter[] routerList;
    private final ThreadLocal<Caller> callers;
    private int nextCaller;

    /** A calling thread's fixed loop and connection affinity, so its commands stay in order. */
    private record Caller(LoopRouter router, int affinity) {
    }

    private ClusterClient(ClusterClientConfig config, EventLoopGroup group, boolean ownsGroup,
                          ClusterListener listener) {
        this.config = config;
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.topology = new ClusterTopology(config.seeds(), config.minRefreshInterval(), config.tls() != null);
        ConnectionOptions options = new ConnectionOptions(config.transport(), config.connectTimeout(),
                config.commandTimeout(), config.limits(),
                ConnectionOptions.authFrame(config.username(), config.password()), config.dedicatedPool(),
                ConnectionOptions.helloFrame(config.username(), config.password()), config.tls());
        Map<EventExecutor, LoopRouter> byLoop = new IdentityHashMap<>();
        List<LoopRouter> list = new ArrayList<>();
        for (EventExecutor executor : group) {
            LoopRouter router = new LoopRouter((EventLoop) executor, topology, options, config.connectionsPerNode(),
                    config.retryWindow(), listener);
            byLoop.put(executor, router);
            list.add(router);
        }
        this.routers = byLoop;
        this.routerList = list.toArray(new LoopRouter[0]);
        this.callers = ThreadLocal.withInitial(this::assignCaller);
        LoopRouter control = routerList[0];
        topology.attach(control.loop(), (node, command) -> control.sendTo(node, command));
        topology.addListener(map -> {
            for (LoopRouter router : routerList) {
                router.loop().execute(() -> router.onSlotMapChanged(map));
            }
        });
    }

    /**
     * Sends read-only single-slot commands marked {@link ClusterCommand#replicaRead()} to replicas per
     * {@code mode}, skipping replicas more than {@code maxLagBytes} behind their master as the last topology
     * query saw them ({@link Long#MAX_VALUE}: no limit); {@link ReadFrom#MASTER} (the default) leaves every
     * command on the masters.
     */
    public void readFrom(ReadFrom mode, long maxLagBytes) {
        if (mode == ReadFrom.MASTER) {
            return;
        }
        for (LoopRouter router : routerList) {
            router.loop().execute(() -> router.readFrom(mode, maxLagBytes));
        }
    }

    /** Starts a client with its own event loops; fails when no seed answers within the connect timeout. */
    public static ClusterClient start(ClusterClientConfig config) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.eventLoops(),
                config.transport().ioHandlerFactory());
        try {
            return start(config, group, true, ClusterListener.NONE);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /**
     * Starts a client on a caller's event loops (the proxy shares its server loops so a client connection
     * and its backend connections live on one thread). The group must use {@code config.transport()}.
     */
    public static ClusterClient start(ClusterClientConfig config, EventLoopGroup group, boolean ownsGroup,
                                      ClusterListener listener) {
        ClusterClient client = new ClusterClient(config, group, ownsGroup, listener);
        client.initialise();
        return client;
    }

    private void initialise() {
        if (config.awaitTopology()) {
            awaitFirstSlotMap();
        } else {
            topology.retryUntilLoaded();
        }
        for (LoopRouter router : routerList) {
            router.loop().execute(() -> {
                router.onSlotMapChanged(topology.slotMap());
                router.startTimeoutChecks();
            });
        }
        long refreshMillis = config.refreshInterval().toMillis();
        if (refreshMillis > 0) {
            routerList[0].loop().scheduleAtFixedRate(topology::requestRefresh, refreshMillis, refreshMillis,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void awaitFirstSlotMap() {
        long waitMillis = Math.max(config.connectTimeout().toMillis(), config.commandTimeout().toMillis()) + 1000;
        try {
            topology.refresh().get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new ClusterUnavailableException("interrupted while loading the cluster topology", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            String why = e instanceof ExecutionException ? e.getCause().getMessage() : "timed out";
            throw new ClusterUnavailableException("no seed node reachable " + config.seeds() + ": " + why, e);
        }
    }

    private synchronized Caller assignCaller() {
        Caller caller = new Caller(routerList[nextCaller % routerList.length], nextCaller / routerList.length);
        nextCaller++;
        return caller;
    }

    public ClusterClientConfig config() {
        return config;
    }

    public ClusterTopology topology() {
        return topology;
    }

    public SlotMap slotMap() {
        return topology.slotMap();
    }

    /**
     * Waits up to {@code timeout} for the first slot map covering every slot (for a client started without
     * waiting); true once one has loaded. Blocks the caller: not for event-loop threads.
     */
    public boolean awaitFullSlotMap(Duration timeout) throws InterruptedException {
        try {
            topology.fullSlotMap().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the full-map future never fails", e);
        }
    }

    public EventLoopGroup eventLoopGroup() {
        return group;
    }

    /** The router owned by {@code loop}, which must be one of this client's loops. */
    public LoopRouter router(EventExecutor loop) {
        LoopRouter router = routers.get(loop);
        if (router == null) {
            throw new IllegalArgumentException("not one of this client's event loops: " + loop);
        }
        return router;
    }

    public List<LoopRouter> routers() {
        return List.of(routerList);
    }

    /**
     * Sends a command whose key, if any, is its second argument ({@code GET key}, {@code HSET key f v}).
     * A command with no arguments after its name goes to any master. Commands with keys elsewhere: use
     * {@link #executeOnSlot}. Redis errors complete the stage with a {@link RespValue.ErrorReply}.
     */
    public CompletionStage<RespValue> execute(byte[]... args) {
        int slot = args.length > 1 ? SlotHash.slot(args[1]) : ClusterCommand.ANY_SLOT;
        return executeOnSlot(slot, CommandFrame.encode(ByteBufAllocator.DEFAULT, args));
    }

    public CompletionStage<RespValue> execute(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return execute(bytes);
    }

    /** Sends an encoded command frame (ownership passes) to the master of {@code slot}. */
    public CompletionStage<RespValue> executeOnSlot(int slot, ByteBuf frame) {
        ValueCommand command = new ValueCommand(frame, slot, config.maxRedirects());
        submit(command);
        return command.result();
    }

    /**
     * Submits any command, running it on the caller's loop when already on one. Commands submitted by one
     * thread keep their order per node.
     */
    public void submit(ClusterCommand command) {
        LoopRouter router = currentRouter();
        if (router != null) {
            router.dispatch(command);
            return;
        }
        Caller caller = callers.get();
        command.affinity(caller.affinity());
        caller.router().loop().execute(() -> caller.router().dispatch(command));
    }

    /** The router of the loop the caller runs on, or null off the client's loops. */
    private LoopRouter currentRouter() {
        for (LoopRouter router : routerList) {
            if (router.loop().inEventLoop()) {
                return router;
            }
        }
        return null;
    }

    public CompletionStage<byte[]> get(byte[] key) {
        return execute("GET".getBytes(StandardCharsets.US_ASCII), key).thenApply(ClusterClient::bulkOrThrow);
    }

    public CompletionStage<Void> set(byte[] key, byte[] value) {
        return execute("SET".getBytes(StandardCharsets.US_ASCII), key, value).thenApply(reply -> {
            throwIfError(reply);
            return null;
        });
    }

    public CompletionStage<Long> del(byte[] key) {
        return execute("DEL".getBytes(StandardCharsets.US_ASCII), key).thenApply(reply -> {
            throwIfError(reply);
            return ((RespValue.IntegerReply) reply).value();
        });
    }

    private static byte[] bulkOrThrow(RespValue reply) {
        throwIfError(reply);
        return ((RespValue.BulkString) reply).bytes();
    }

    private static void throwIfError(RespValue reply) {
        if (reply instanceof RespValue.ErrorReply error) {
            throw new RedisErrorException(error.message());
        }
    }

    @Override
    public void close() {
        CompletableFuture<?>[] closed = new CompletableFuture<?>[routerList.length];
        for (int i = 0; i < routerList.length; i++) {
            LoopRouter router = routerList[i];
            CompletableFuture<Void> done = new CompletableFuture<>();
            closed[i] = done;
            if (router.loop().isShuttingDown()) {
                done.complete(null);
                continue;
            }
            router.loop().execute(() -> {
                router.close();
                done.complete(null);
            });
        }
        try {
            CompletableFuture.allOf(closed).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException ignored) {
            // closing anyway
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
