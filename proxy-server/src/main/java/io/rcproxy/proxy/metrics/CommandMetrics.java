package io.rcproxy.proxy.metrics;

import io.netty.buffer.ByteBuf;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;

/**
 * The metrics of one command name: its three outcome counters and its latency histogram. The frontend
 * holds a direct reference per request, so recording a reply costs no label lookup and no allocation.
 *
 * <p>Outcome of a command, decided when its reply is handed to the client connection:
 * <ul>
 *   <li>{@code error}: the reply is an error, whether Redis sent it or the proxy built it (unknown
 *       command, CROSSSLOT, wrong arity, node unreachable, timeout, exhausted redirect budget);</li>
 *   <li>{@code redirected}: not an error, and the command followed at least one MOVED, ASK, TRYAGAIN or
 *       CLUSTERDOWN before this reply;</li>
 *   <li>{@code ok}: any other reply.</li>
 * </ul>
 * Duration runs from the moment the frontend took the request off the wire to the moment its reply is
 * handed to the client connection, so it includes waiting behind earlier replies of the same pipeline:
 * what the client sees. Requests whose client left before the reply are not counted.
 *
 * <p>Threads: any event loop. Label children are created on first use and then cached in plain fields:
 * {@code labels()} returns the same child for the same values, and a child keeps its state in final
 * fields, so two loops racing to fill a field store the same, safely published object.
 */
public final class CommandMetrics {

    private final String name;
    private final Counter commands;
    private final Histogram durations;
    private Counter.Child ok;
    private Counter.Child error;
    private Counter.Child redirected;
    private Histogram.Child duration;

    CommandMetrics(String name, Counter commands, Histogram durations) {
        this.name = name;
        this.commands = commands;
        this.durations = durations;
    }

    public String name() {
        return name;
    }

    /**
     * Records the reply about to be written for a request that arrived at {@code arrivalNanos}
     * ({@link System#nanoTime()}). The reply is read, not consumed or released.
     */
    public void replied(ByteBuf reply, boolean redirectedOnTheWay, long arrivalNanos) {
        long elapsed = System.nanoTime() - arrivalNanos;
        duration().observe(elapsed / 1e9);
        boolean isError = reply.isReadable() && reply.getByte(reply.readerIndex()) == '-';
        outcome(isError ? Outcome.ERROR : redirectedOnTheWay ? Outcome.REDIRECTED : Outcome.OK).inc();
    }

    enum Outcome { OK, ERROR, REDIRECTED }

    Counter.Child outcome(Outcome outcome) {
        switch (outcome) {
            case ERROR -> {
                Counter.Child c = error;
                if (c == null) {
                    c = commands.labels(name, "error");
                    error = c;
                }
                return c;
            }
            case REDIRECTED -> {
                Counter.Child c = redirected;
                if (c == null) {
                    c = commands.labels(name, "redirected");
                    redirected = c;
                }
                return c;
            }
            default -> {
                Counter.Child c = ok;
                if (c == null) {
                    c = commands.labels(name, "ok");
                    ok = c;
                }
                return c;
            }
        }
    }

    private Histogram.Child duration() {
        Histogram.Child h = duration;
        if (h == null) {
            h = durations.labels(name);
            duration = h;
        }
        return h;
    }
}
