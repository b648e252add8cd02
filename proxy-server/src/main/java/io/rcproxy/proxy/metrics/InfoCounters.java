package io.rcproxy.proxy.metrics;

/**
 * The proxy's own counters as INFO shows them: connections received and refused, bytes read from and
 * written to clients, each since start or since the last CONFIG RESETSTAT. Prometheus counters must never
 * go down, so a reset does not touch them: it records their values as a baseline that INFO subtracts.
 *
 * <p>Thread: any. The baseline is one immutable array swapped through a volatile field.
 */
public final class InfoCounters {

    private static final int RECEIVED = 0;
    private static final int REJECTED = 1;
    private static final int INPUT = 2;
    private static final int OUTPUT = 3;

    private final ProxyMetrics metrics;
    private volatile long[] baseline = new long[4];

    InfoCounters(ProxyMetrics metrics) {
        this.metrics = metrics;
    }

    public long connectionsReceived() {
        return metrics.connectionsAccepted() - baseline[RECEIVED];
    }

    public long connectionsRejected() {
        return metrics.connectionsRejected() - baseline[REJECTED];
    }

    public long netInputBytes() {
        return metrics.bytesReceived() - baseline[INPUT];
    }

    public long netOutputBytes() {
        return metrics.bytesSent() - baseline[OUTPUT];
    }

    /** CONFIG RESETSTAT: every counter reads zero from now on. */
    public void reset() {
        baseline = new long[] {metrics.connectionsAccepted(), metrics.connectionsRejected(),
            metrics.bytesReceived(), metrics.bytesSent()};
    }
}
