package io.rcproxy.cluster.internal.connection;

import java.time.Duration;

/**
 * How many dedicated connections (transactions, blocking commands) an event loop keeps open and idle for
 * reuse, per node, and for how long. Immutable.
 *
 * @param maxIdlePerNode idle dedicated connections one loop keeps to one node; 0 closes every dedicated
 *                       connection once its owner is done, as before pooling existed
 * @param idleTimeout    an idle connection unused for this long is closed; positive
 */
public record DedicatedPoolOptions(int maxIdlePerNode, Duration idleTimeout) {

    /**
     * Sixteen per loop and node, closed after 30 s unused. With 32 client threads running transactions on one
     * loop and five masters, a bound of 16 already kept the masters' new connections at the peak in use at
     * once (about 60 for 3,200 transactions; 32 did no better), while an idle burst's leftovers stay few and
     * go within half a minute, well below the usual server {@code timeout} of 300 s where one is set.
     */
    public static final DedicatedPoolOptions DEFAULT = new DedicatedPoolOptions(16, Duration.ofSeconds(30));

    public DedicatedPoolOptions {
        if (maxIdlePerNode < 0) {
            throw new IllegalArgumentException("maxIdlePerNode must not be negative");
        }
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
    }
}
