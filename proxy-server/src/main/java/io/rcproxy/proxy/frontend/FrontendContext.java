package io.rcproxy.proxy.frontend;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.cluster.internal.memory.BufferBudget;
import io.rcproxy.proxy.auth.AuthMetrics;
import io.rcproxy.proxy.auth.AuthSource;
import io.rcproxy.proxy.auth.UserDirectory;
import io.rcproxy.proxy.auth.Users;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.config.ProxyConfig;
import io.rcproxy.proxy.metrics.InfoCounters;
import io.rcproxy.proxy.metrics.ProxyMetrics;
import io.rcproxy.proxy.multinode.InfoSource;
import io.rcproxy.proxy.tracking.Tracking;
import io.rcproxy.proxy.multinode.ScriptBodies;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every client connection shares: configuration, command table (and the local commands' handlers
 * picked from it), cluster client, client counters, and the buffer budget that large requests and replies
 * are reserved against.
 */
public final class FrontendContext implements InfoSource {

    private final ProxyConfig config;
    private final ClusterClient client;
    private final CommandTable commands;
    /** The handler of each {@code local} row, by {@link CommandSpec#id()}; picked once, here. */
    private final LocalHandler[] localHandlers;
    private final ProxyMetrics metrics;
    private final BufferBudget bufferBudget;
    /** The proxy's users; a reload moves every session to the new ones ({@link #usersReloaded}). */
    private final UserDirectory users;
    private final AtomicLong nextClientId = new AtomicLong();
    private final String runId = randomHex(40);
    private final ClientPause pause = new ClientPause();
    private final AtomicInteger connectedClients = new AtomicInteger();
    /** Connected clients by id, for CLIENT LIST and CLIENT KILL; each entry is added and removed by its own loop. */
    private final ConcurrentHashMap<Long, ClientSession> sessions = new ConcurrentHashMap<>();
    /** Client-side caching: each loop's tracking table and links; finds REDIRECT targets in {@link #sessions}. */
    private final Tracking tracking;
    private final ChannelGroup clientChannels = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    /** EVAL bodies loaded on every master, so EVALSHA finds them wherever it runs. */
    private final ScriptBodies scriptBodies;
    /** Scripts past the busy threshold, which make the proxy answer -BUSY as one Redis would. */
    private final BusyScripts busyScripts;

    /**
     * @throws IllegalArgumentException naming the row, when a {@code local} row of the table has no handler,
     *                                  or naming the user and rule, when the configured users do not parse
     */
    public FrontendContext(ProxyConfig config, ClusterClient client, CommandTable commands, ProxyMetrics metrics) {
        this(config, client, commands, metrics, AuthSource.fixed(config.security().auth()));
    }

    /** @param authSource where a reload of the users reads {@code proxy.auth} again */
    public FrontendContext(ProxyConfig config, ClusterClient client, CommandTable commands, ProxyMetrics metrics,
                           AuthSource authSource) {
        this.bufferBudget = client.config().limits().budget(); // one budget: the cluster client's
        this.metrics = metrics;
        this.config = config;
        this.client = client;
        this.commands = commands;
        this.localHandlers = LocalCommands.resolve(commands);
        this.tracking = new Tracking(config.tracking(), id -> {
            ClientSession session = sessions.get(id);
            return session == null ? null : session.tracking();
        });
        this.scriptBodies = new ScriptBodies(commands);
        this.busyScripts = new BusyScripts(config.busyScriptsProxyWide(), commands);
        client.topology().fullSlotMap().thenRun(() -> busyScripts.learnThreshold(client));
        this.users = new UserDirectory(config.security().auth(), authSource, commands,
                new AuthMetrics(metrics.registry()));
        users.onChange(this::usersReloaded);
    }

    /** The proxy's users: for the sessions, and for the server to watch their files and close. */
    public UserDirectory users() {
        return users;
    }

    /**
     * Each session takes the new users on its own loop; one whose user is gone or off, or a subscriber whose
     * user's channel rules changed, is closed.
     */
    private void usersReloaded(Users reloaded) {
        for (ClientSession session : sessions.values()) {
            io.netty.channel.Channel channel = session.channel();
            if (channel != null) {
                channel.eventLoop().execute(() -> {
                    if (!session.access().rebind(reloaded, session.isSubscriber())) {
                        channel.close();
                    }
                });
            }
        }
    }

    public Tracking tracking() {
        return tracking;

    }

    ScriptBodies scriptBodies() {
        return scriptBodies;
    }

    BusyScripts busyScripts() {
        return busyScripts;
    }

    @Override
    public void configSetAccepted(String parameter, String value) {
        busyScripts.configSet(parameter, value);
    }

    @Override
    public ProxyConfig config() {
        return config;
    }

    @Override
    public ClusterClient client() {
        return client;
    }

    public CommandTable commands() {
        return commands;
    }

    /** The handler of a spec whose routing is LOCAL. */
    LocalHandler localHandler(CommandSpec spec) {
        return localHandlers[spec.id()];
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    /** Shared by every loop: large request bulks here, large reply bulks in the cluster client. */
    public BufferBudget bufferBudget() {
        return bufferBudget;
    }

    @Override
    public int trackingClientCount() {
        int tracking = 0;
        for (ClientSession session : sessions.values()) {
            if (session.tracking() != null && session.tracking().isOn()) {
                tracking++;
            }
        }
        return tracking;
    }

    @Override
    public long trackedKeyCount() {
        return tracking.trackedKeys();
    }

    @Override
    public int blockedClientCount() {
        int blocked = 0;
        for (ClientSession session : sessions.values()) {
            if (session.isBlocked()) {
                blocked++;
            }
        }
        return blocked;
    }

    @Override
    public InfoCounters infoCounters() {
        return metrics.infoCounters();
    }

    /** INFO's run_id, and the node id of the one-node cluster the proxy presents. */
    @Override
    public String runId() {
        return runId;
    }

    @Override
    public boolean clusterMode() {
        return config.presentAsCluster();
    }

    @Override
    public void resetStats() {
        metrics.infoCounters().reset();
    }

    /** Client connections open now, refused ones until they close included. */
    @Override
    public int connectedClientCount() {
        return connectedClients.get();
    }

    /**
     * Clients speaking RESP3 now, counted over the sessions when asked (a scrape), so HELLO costs nothing
     * more; as stale as a CLIENT LIST line may be.
     */
    public int resp3ClientCount() {
        int count = 0;
        for (ClientSession session : sessions.values()) {
            if (session.protocol().resp3()) {
                count++;
            }
        }
        return count;
    }

    /** Every connected client channel; closed channels leave the group by themselves. */
    public ChannelGroup clientChannels() {
        return clientChannels;
    }

    void register(ClientSession session) {
        sessions.put(session.id(), session);
    }

    void unregister(ClientSession session) {
        sessions.remove(session.id());
    }

    /** The connected client with {@code id}, or null. */
    ClientSession session(long id) {
        return sessions.get(id);
    }

    /** The connected clients' sessions; a live view, safe to iterate from any thread. */
    Collection<ClientSession> sessions() {
        return sessions.values();
    }

    private static String randomHex(int digits) {
        StringBuilder hex = new StringBuilder(digits);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < digits; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }

    /** CLIENT PAUSE state, read by every loop per request. */
    ClientPause pause() {
        return pause;
    }

    /** CLIENT UNPAUSE: every client holding requests routes them now, on its own loop. */
    void unpause() {
        pause.unpause();
        for (ClientSession session : sessions.values()) {
            ClientRequests requests = session.requests();
            if (session.channel() != null && requests != null) {
                session.channel().eventLoop().execute(requests::releaseHeld);
            }
        }
    }

    long newClientId() {
        return nextClientId.incrementAndGet();
    }

    AtomicInteger connectedClients() {
        return connectedClients;
    }
}
