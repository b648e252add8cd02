package io.rcproxy.proxy.frontend;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.rcproxy.cluster.ClusterClient;
import io.rcproxy.cluster.internal.memory.BufferBudget;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.config.ProxyConfig;
import io.rcproxy.proxy.metrics.ProxyMetrics;
import io.rcproxy.proxy.multinode.InfoSource;
import io.rcproxy.proxy.multinode.ScriptBodies;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
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
    private final AtomicLong nextClientId = new AtomicLong();
    private final AtomicInteger connectedClients = new AtomicInteger();
    /** Connected clients by id, for CLIENT LIST and CLIENT KILL; each entry is added and removed by its own loop. */
    private final ConcurrentHashMap<Long, ClientSession> sessions = new ConcurrentHashMap<>();
    private final ChannelGroup clientChannels = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    /** EVAL bodies loaded on every master, so EVALSHA finds them wherever it runs. */
    private final ScriptBodies scriptBodies;

    /** @throws IllegalArgumentException naming the row, when a {@code local} row of the table has no handler */
    public FrontendContext(ProxyConfig config, ClusterClient client, CommandTable commands, ProxyMetrics metrics) {
        this.bufferBudget = client.config().limits().budget(); // one budget: the cluster client's
        this.metrics = metrics;
        this.config = config;
        this.client = client;
        this.commands = commands;
        this.localHandlers = LocalCommands.resolve(commands);
        this.scriptBodies = new ScriptBodies(commands);
    }

    ScriptBodies scriptBodies() {
        return scriptBodies;
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

    /** Client connections open now, refused ones until they close included. */
    @Override
    public int connectedClientCount() {
        return connectedClients.get();
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

    /** The connected clients' sessions; a live view, safe to iterate from any thread. */
    Collection<ClientSession> sessions() {
        return sessions.values();
    }

    long newClientId() {
        return nextClientId.incrementAndGet();
    }

    AtomicInteger connectedClients() {
        return connectedClients;
    }
}
