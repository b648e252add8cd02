package io.rcproxy.bench;

/**
 * One way of sending the load: our cluster client, Lettuce, or plain RESP to one address (the proxy, or a
 * single redis-server as a check on the load generator).
 */
interface Target extends AutoCloseable {

    String name();

    /** One line saying how the workers drive this target, printed with the results. */
    String description();

    /** Writes every key of the keyspace with the value, through this target; only targets that need it. */
    void preload(KeySpace keys) throws Exception;

    /**
     * Starts {@code window.workerCount()} workers, which record into the window and stop on their own. A
     * RESP target runs that many connections, each writing {@code pipeline} commands at a time; the client
     * targets were given {@code workers * pipeline} chains of one command each and ignore the depth.
     */
    void start(Operation operation, KeySpace keys, LoadWindow window, int pipeline) throws Exception;

    /**
     * Starts {@code run.workerCount()} {@link PacedWorker}s for the latency-under-load mode, which send on
     * the run's schedule, record into it and stop on their own.
     */
    void startPaced(Operation operation, KeySpace keys, PacedRun run) throws Exception;

    @Override
    void close();
}
