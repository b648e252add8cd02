package io.rcproxy.cluster.testkit;

import io.netty.util.ResourceLeakDetector;
import java.util.function.Consumer;

/**
 * Netty's leak detector, except that each leak it reports is also handed to a sink, so a test
 * run can fail on it instead of only logging it. Reports are made on whichever thread allocates
 * the next tracked resource (that is when Netty polls its reference queue); the sink must be
 * thread-safe.
 */
final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

    private final Consumer<LeakReport> sink;

    RecordingLeakDetector(Class<?> resourceType, int samplingInterval, Consumer<LeakReport> sink) {
        super(resourceType, samplingInterval);
        this.sink = sink;
    }

    /** Always report: Netty skips (and forgets) leaks when its error log is off, we must not. */
    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        sink.accept(new LeakReport(resourceType, records));
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        sink.accept(new LeakReport(resourceType, ""));
        super.reportUntracedLeak(resourceType);
    }
}
