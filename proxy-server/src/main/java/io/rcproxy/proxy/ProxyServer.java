package io.rcproxy.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.cluster.ClusterClientConfig;
import io.rcproxy.cluster.internal.memory.BufferBudget;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.admin.AdminServer;
import io.rcproxy.proxy.admin.Readiness;
import io.rcproxy.proxy.auth.AuthSource;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.config.ProxyConfig;
import io.rcproxy.proxy.config.ProxyStartException;
import io.rcproxy.proxy.frontend.ClientChannelInitializer;
import io.rcproxy.proxy.frontend.ClientDrain;
import io.rcproxy.proxy.frontend.FrontendContext;
import io.rcproxy.proxy.metrics.ProxyMetrics;
import io.rcproxy.proxy.tls.NodeTls;
import io.rcproxy.proxy.tls.ServerTls;
import io.rcproxy.proxy.tls.TlsMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy: one event loop group shared by the client listener and the cluster client, so each
 * client connection and the backend connections serving it live on the same thread; beside it, the
 * metrics and health listener on a thread of its own.
 *
 * <p>Shutdown ({@link #shutdown()}, what SIGTERM runs): readiness turns 503, the listener stops accepting,
 * clients drain within the grace period ({@link ClientDrain}), then backends, loops and the metrics
 * listener close. {@link #close()} is the same with no grace period.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private final ProxyConfig config;
    private final EventLoopGroup group;
    private final ClusterClient client;
    private final ClientListeners listener;
    /** The client listener's certificate, reloaded when it changes; null without TLS. */
    private final ServerTls tls;
    private final FrontendContext frontend;
    private final ProxyMetrics metrics;
    private final Readiness readiness;
    private final AdminServer admin;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private ProxyServer(ProxyConfig config, EventLoopGroup group, ClusterClient client, ClientListeners listener,
                        ServerTls tls, FrontendContext frontend, ProxyMetrics metrics, Readiness readiness,
                        AdminServer admin) {
        this.tls = tls;
        this.frontend = frontend;
        this.metrics = metrics;
        this.readiness = readiness;
        this.admin = admin;
        this.config = config;
        this.group = group;
        this.client = client;
        this.listener = listener;
    }

    private static final Duration FIRST_MAP_GRACE = Duration.ofSeconds(2);

    /**
     * Starts loading the topology and listens. With {@code fail-fast-startup} it waits for the topology first
     * and throws when no seed answers; it always throws when the port cannot be bound.
     */
    public static ProxyServer start(ProxyConfig config) {
        return start(config, AuthSource.fixed(config.security().auth()));
    }

    /** As {@link #start(ProxyConfig)}; reloads of the users read {@code proxy.auth} from {@code authSource}. */
    public static ProxyServer start(ProxyConfig config, AuthSource authSource) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.eventLoops(),
                config.transport().ioHandlerFactory());
        ClusterClient client = null;
        ClientListeners listener = null;
        ServerTls tls = null;
        try {
            CommandTable commands = CommandTable.builtIn();
            ProxyMetrics metrics = new ProxyMetrics(commands);
            // One budget for the large bulks of requests (frontend) and replies (backend connections).
            BufferBudget budget = new BufferBudget(config.bufferMemory(), BufferBudget.DEFAULT_LARGE_BULK);
            ClusterClientConfig clusterConfig = config.clusterClientConfig();
            clusterConfig = clusterConfig.toBuilder().limits(clusterConfig.limits().withBudget(budget))
                    .tls(config.security().backendTls().enabled() ? new NodeTls(config.security().backendTls()) : null)
                    .build();
            client = ClusterClient.start(clusterConfig, group, false, metrics.clusterListener());
            client.readFrom(config.readFrom(), config.replicaMaxLag() == 0 ? Long.MAX_VALUE : config.replicaMaxLag());
            // A cluster that is up answers within milliseconds: give it a moment, so the first clients do not
            // meet a proxy without a slot map. One that is not up yet must not keep the port closed.
            client.awaitFullSlotMap(FIRST_MAP_GRACE);
            FrontendContext context = new FrontendContext(config, client, commands, metrics, authSource);
            metrics.bind(client, context::connectedClientCount, context::resp3ClientCount);
            context.users().watch();
            metrics.bindTracking(context.tracking()::trackedKeys, context.tracking()::invalidationsSent,
                    context.tracking()::evictions);
            Readiness readiness = new Readiness(client);
            TlsMetrics tlsMetrics = new TlsMetrics(metrics.registry());
            if (config.security().clientTls().enabled()) {
                tls = new ServerTls(config.security().clientTls(), tlsMetrics);
            }
            listener = ClientListeners.bind(config, group, new ClientChannelInitializer(context), tls, tlsMetrics);
            if (tls != null) {
                tls.watch();
            }
            SlotMap map = client.slotMap();
            log.info("proxy listening on {} ({} event loops, {} transport) for cluster {}: {}",
                    listener.describe(), config.eventLoops(), config.transport(), config.seeds(),
                    map.isLoaded() ? map.masters().size() + " masters" : "slot map loading in the background");
            warnIfExposed(config);
            AdminServer admin = null;
            if (config.metrics().enabled()) {
                admin = AdminServer.start(config.metrics(), metrics.registry(), readiness);
                log.info("metrics and health on http://{}/metrics, /health/live, /health/ready",
                        hostAndPort(admin.localAddress()));
            }
            return new ProxyServer(config, group, client, listener, tls, context, metrics, readiness, admin);
        } catch (Exception e) {
            // Netty rethrows a failed bind's checked BindException unchecked-style: catch everything, so a
            // port conflict never leaves event loops running behind a dead main thread.
            if (listener != null) {
                listener.close();
            }
            if (tls != null) {
                tls.close();
            }
            if (client != null) {
                client.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ProxyStartException(describe(e, config), e);
        }
    }

    /** Listening beyond loopback without a password, or metrics without a token, is said loudly. */
    private static void warnIfExposed(ProxyConfig config) {
        if (!isLoopback(config.bind()) && !config.security().auth().configured()) {
            log.warn("listening on {} without client authentication: anyone who can reach the port has full "
                    + "access to the cluster; set proxy.auth (password-file or users-file)", config.bind());
        }
        if (config.metrics().enabled() && !isLoopback(config.metrics().bind()) && config.metrics().tokenFile().isEmpty()) {
            log.warn("metrics listener on {} without proxy.metrics.token-file: anyone who can reach it reads the "
                    + "metrics", config.metrics().bind());
        }
    }

    private static boolean isLoopback(String bind) {
        return bind.equals("localhost") || bind.startsWith("127.") || bind.equals("::1");
    }

    private static String describe(Exception e, ProxyConfig config) {
        return e instanceof IOException
                ? "cannot listen on " + config.bind() + ":" + config.port() + ": " + e.getMessage()
                        + " (is another process using the port?)"
                : e.toString();
    }

    private static String hostAndPort(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    public InetSocketAddress localAddress() {
        return listener.mainAddress();
    }

    /** The TLS listener's address (the main one when it speaks TLS only), or null without TLS. */
    public InetSocketAddress tlsAddress() {
        return listener.tlsAddress();
    }

    public ClusterClient client() {
        return client;
    }

    public ProxyConfig config() {
        return config;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    public Readiness readiness() {
        return readiness;
    }

    /** The metrics and health listener's address, or null when it is disabled. */
    public InetSocketAddress metricsAddress() {
        return admin == null ? null : admin.localAddress();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClose() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Graceful shutdown with the configured grace period; what SIGTERM and SIGINT run. */
    public void shutdown() {
        shutdown(config.shutdownGracePeriod());
    }

    /** Stops at once: clients are closed with whatever replies they are owed. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    /**
     * Stops the proxy, giving requests already read up to {@code grace} to finish. Blocks until stopped;
     * a second call, from any thread, waits for the first to finish.
     */
    public void shutdown(Duration grace) {
        if (!stopping.compareAndSet(false, true)) {
            awaitClose();
            return;
        }
        try {
            readiness.shuttingDown();
            listener.close();
            if (tls != null) {
                tls.close();
            }
            int clients = frontend.clientChannels().size();
            if (clients > 0 && !grace.isZero()) {
                log.info("shutting down: no longer accepting; draining {} clients for up to {} ms", clients,
                        grace.toMillis());
            }
            int forced = ClientDrain.drain(frontend.clientChannels(), grace);
            if (forced > 0 && !grace.isZero()) {
                log.warn("grace period over: closed {} clients with replies outstanding", forced);
            }
            frontend.users().close();
            client.close();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            if (admin != null) {
                admin.close();
            }
            log.info("proxy stopped");
        } finally {
            closed.countDown();
        }
    }
}
