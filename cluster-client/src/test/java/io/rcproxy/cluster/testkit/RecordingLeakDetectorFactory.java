package io.rcproxy.cluster.testkit;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Makes every leak detector Netty creates from now on a {@link RecordingLeakDetector}. Netty
 * creates most detectors once, in static initialisers ({@code AbstractByteBuf}'s for all
 * buffers), so this factory must be installed before those classes load; {@link #created}
 * tells whether it was. Thread-safe.
 */
final class RecordingLeakDetectorFactory extends ResourceLeakDetectorFactory {

    private final Consumer<LeakReport> sink;
    private final Set<Class<?>> created = ConcurrentHashMap.newKeySet();

    RecordingLeakDetectorFactory(Consumer<LeakReport> sink) {
        this.sink = sink;
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
        created.add(resource);
        return new RecordingLeakDetector<>(resource, samplingInterval, sink);
    }

    /** Netty's abstract legacy variant; the active-count limit it takes has no effect in Netty 4.1+. */
    @Override
    @Deprecated
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        return newResourceLeakDetector(resource, samplingInterval);
    }

    /** Whether this factory created the detector for {@code resource}. */
    boolean created(Class<?> resource) {
        return created.contains(resource);
    }
}
