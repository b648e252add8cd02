package io.rcproxy.cluster.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * Turns Netty's leak reports into test failures: after each test class it collects garbage, makes
 * Netty poll for leaked buffers, and fails the class if any leak was reported since the last
 * check, listing where each leaked buffer was created and touched.
 *
 * <p>Registered for every test class of a module by JUnit's extension auto-detection
 * ({@code META-INF/services/org.junit.jupiter.api.extension.Extension} plus
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in {@code junit-platform.properties}).
 * Loading the class installs a {@link RecordingLeakDetectorFactory}; auto-detection loads it before
 * any test runs, which is what makes it early enough (see the factory).
 *
 * <p>A leak is found when the garbage collector notices it, so a leak can surface one class
 * late; the report's records name the code that leaked, whichever class fails. Run with
 * {@code -Dio.netty.leakDetection.level=paranoid} to track every buffer (the build does).
 * Called by JUnit on the test thread; the recorded reports may come from any thread.
 */
public final class LeakGuard implements BeforeAllCallback, AfterAllCallback {

    private static final Queue<LeakReport> LEAKS = new ConcurrentLinkedQueue<>();
    private static final RecordingLeakDetectorFactory FACTORY = new RecordingLeakDetectorFactory(LEAKS::add);
    private static final int GC_ROUNDS = 5;

    static {
        install();
    }

    /** Installs the recording factory (idempotent); from then on, new leak detectors record. */
    public static void install() {
        if (ResourceLeakDetectorFactory.instance() != FACTORY) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(FACTORY);
        }
    }

    /** Leaks reported since the last {@link #drainLeaks()}; they stay recorded. */
    public static List<LeakReport> leaks() {
        return List.copyOf(LEAKS);
    }

    /** Returns and forgets the leaks reported so far. */
    public static List<LeakReport> drainLeaks() {
        List<LeakReport> drained = new ArrayList<>();
        for (LeakReport report; (report = LEAKS.poll()) != null; ) {
            drained.add(report);
        }
        return drained;
    }

    /**
     * Makes Netty report the buffer leaks that have happened so far. Netty only notices a leak when
     * the collector has cleared the buffer and a later allocation of a tracked buffer polls the
     * reference queue, so this collects garbage and allocates, a few rounds over.
     */
    public static void provokeLeakReports() {
        for (int round = 0; round < GC_ROUNDS; round++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // Below paranoid level only every n-th allocation is tracked (and polls); allocate enough.
            int allocations = ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID ? 1 : 256;
            for (int i = 0; i < allocations; i++) {
                allocateAndRelease();
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        provokeLeakReports();
        List<LeakReport> leaks = drainLeaks();
        if (!leaks.isEmpty()) {
            StringBuilder message = new StringBuilder()
                    .append(leaks.size()).append(" Netty resource leak(s) reported while running ")
                    .append(context.getDisplayName()).append(" (or just before):");
            for (LeakReport leak : leaks) {
                message.append("\n\n").append(leak);
            }
            throw new AssertionFailedError(message.toString());
        }
        if (ResourceLeakDetector.isEnabled() && !FACTORY.created(ByteBuf.class)) {
            throw new AssertionFailedError("LeakGuard cannot see buffer leaks: Netty's ByteBuf leak detector was "
                    + "created before LeakGuard was installed. Enable JUnit extension auto-detection "
                    + "(junit.jupiter.extensions.autodetection.enabled=true) so LeakGuard loads before any test.");
        }
    }

    /** Only these kinds are tracked: Netty does not track unpooled heap buffers. */
    private static void allocateAndRelease() {
        UnpooledByteBufAllocator.DEFAULT.directBuffer(1).release();
        PooledByteBufAllocator.DEFAULT.heapBuffer(1).release();
        PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
    }
}
