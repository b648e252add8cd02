package io.rcproxy.cluster.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * Proves the guard can fail. Each test leaks on purpose, checks that the leak was recorded, and
 * drains the record so this class itself passes its own {@link LeakGuard} check.
 */
class LeakGuardTest {

    private ResourceLeakDetector.Level savedLevel;

    @BeforeEach
    void trackEveryAllocation() {
        savedLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        LeakGuard.drainLeaks();
    }

    @AfterEach
    void restoreLevelAndForgetOurLeaks() {
        ResourceLeakDetector.setLevel(savedLevel);
        LeakGuard.provokeLeakReports();
        LeakGuard.drainLeaks();
    }

    @Test
    void recordingDetectorReportsAnUnclosedTrackedObject() {
        Queue<LeakReport> sink = new ConcurrentLinkedQueue<>();
        RecordingLeakDetector<Object> detector = new RecordingLeakDetector<>(Object.class, 1, sink::add);
        ResourceLeakTracker<Object> kept = null;
        for (int round = 0; round < 20 && sink.isEmpty(); round++) {
            trackAndForget(detector);
            System.gc();
            sleep();
            // Tracking the next object is when Netty polls for the collected one.
            Object next = new Object();
            kept = detector.track(next);
            kept.close(next);
        }
        assertFalse(sink.isEmpty(), "leak of an unclosed tracked object was not reported");
        LeakReport report = sink.peek();
        assertEquals("Object", report.resourceType());
        assertTrue(report.records().contains("trackAndForget"), report.records());
    }

    @Test
    void leakedBufferIsRecordedWithWhereItWasCreated() {
        assertTrue(ResourceLeakDetectorFactory.instance() instanceof RecordingLeakDetectorFactory,
                "LeakGuard did not install its factory");
        for (int round = 0; round < 20 && LeakGuard.leaks().isEmpty(); round++) {
            leakOneBuffer();
            LeakGuard.provokeLeakReports();
        }
        List<LeakReport> leaks = LeakGuard.drainLeaks();
        assertFalse(leaks.isEmpty(), "leaked ByteBuf was not reported");
        assertEquals("ByteBuf", leaks.get(0).resourceType());
        assertTrue(leaks.get(0).records().contains("leakOneBuffer"), leaks.get(0).records());
        assertTrue(LeakGuard.leaks().isEmpty(), "drain forgets");
    }

    @Test
    void afterAllFailsTheClassAndListsTheLeak() {
        for (int round = 0; round < 20 && LeakGuard.leaks().isEmpty(); round++) {
            leakOneBuffer();
            LeakGuard.provokeLeakReports();
        }
        ExtensionContext context = contextNamed("LeakyIT");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> new LeakGuard().afterAll(context));
        assertTrue(failure.getMessage().contains("while running LeakyIT"), failure.getMessage());
        assertTrue(failure.getMessage().contains("leakOneBuffer"), failure.getMessage());
        // The guard drained the report, so this class's own check passes.
        assertTrue(LeakGuard.leaks().isEmpty());
    }

    @Test
    void afterAllPassesWhenNothingLeaked() {
        ByteBuf buf = Unpooled.buffer(8);
        buf.writeLong(42);
        buf.release();
        new LeakGuard().afterAll(contextNamed("CleanIT"));
    }

    private static void trackAndForget(ResourceLeakDetector<Object> detector) {
        // Tracked, never closed, unreachable once this method returns.
        detector.track(new Object());
    }

    private static void leakOneBuffer() {
        // Direct: Netty does not track unpooled heap buffers, which hold no native memory.
        ByteBuf leaked = Unpooled.directBuffer(16);
        leaked.writeInt(1);
        // Deliberately not released.
    }

    /** Only the display name is read by the guard; anything else would be a surprise worth failing on. */
    private static ExtensionContext contextNamed(String displayName) {
        return (ExtensionContext) Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getDisplayName")) {
                        return displayName;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
