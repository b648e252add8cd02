package io.rcproxy.cluster.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Proves that a build without Redis fails instead of passing with nothing tested: runs a test class
 * using {@link RedisClusterExtension} through JUnit itself, with the Redis lookup and the system
 * properties injected, and looks at what JUnit reports for that class.
 */
class RedisClusterExtensionTest {

    /** What the extension in {@link NeedsRedis} sees; the defaults make that class pass if run on its own. */
    private static volatile boolean redisPresent = true;
    private static final Map<String, String> properties = new ConcurrentHashMap<>();

    @BeforeEach
    @AfterEach
    void reset() {
        redisPresent = true;
        properties.clear();
        NeedsRedis.runs.set(0);
    }

    @Test
    void withoutRedisTheClassFailsWithTheInstallHint() {
        redisPresent = false;
        Outcome outcome = run();
        assertFailed(outcome);
        // JUnit wraps what the condition threw, keeping its message in its own.
        Throwable failure = outcome.result.getThrowable().orElseThrow();
        assertInstanceOf(RedisTestException.class, failure.getCause(), failure::toString);
        String message = failure.getMessage();
        assertTrue(message.contains("No real Redis can be started: redis-server is missing"), message);
        assertTrue(message.contains("sudo apt-get update && sudo apt-get install -y redis-server redis-tools"), message);
        assertTrue(message.contains("scripts/install-redis.sh"), message);
        assertTrue(message.contains("-Drcproxy.redis-tests=skip"), message);
        assertEquals(0, NeedsRedis.runs.get(), "no test may run");
    }

    @Test
    void requiredIsTheDefaultSpelledOut() {
        redisPresent = false;
        properties.put(RedisClusterExtension.TESTS_PROPERTY, "required");
        assertFailed(run());
    }

    @Test
    void withoutRedisTheOptOutSkipsTheClass() {
        redisPresent = false;
        properties.put(RedisClusterExtension.TESTS_PROPERTY, "skip");
        Outcome outcome = run();
        assertNull(outcome.result, outcome::toString);
        assertNotNull(outcome.skipReason, "class not skipped");
        assertTrue(outcome.skipReason.contains("-Drcproxy.redis-tests=skip"), outcome.skipReason);
        assertEquals(0, NeedsRedis.runs.get());
    }

    @Test
    void theOptOutSkipsEvenWhereRedisIsPresent() {
        properties.put(RedisClusterExtension.TESTS_PROPERTY, " SKIP ");
        Outcome outcome = run();
        assertNotNull(outcome.skipReason, outcome.toString());
        assertEquals(0, NeedsRedis.runs.get());
    }

    @Test
    void withRedisTheTestsRun() {
        Outcome outcome = run();
        assertNotNull(outcome.result, outcome::toString);
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, outcome.result.getStatus(), outcome::toString);
        assertEquals(1, NeedsRedis.runs.get());
    }

    @Test
    void aMisspelledValueFailsRatherThanGuessing() {
        properties.put(RedisClusterExtension.TESTS_PROPERTY, "skipped");
        Outcome outcome = run();
        assertFailed(outcome);
        String message = outcome.result.getThrowable().orElseThrow().getMessage();
        assertTrue(message.contains("-Drcproxy.redis-tests=skipped: expected required (the default) or skip"), message);
        assertEquals(0, NeedsRedis.runs.get());
    }

    private static void assertFailed(Outcome outcome) {
        assertNull(outcome.skipReason, () -> "skipped instead of failed: " + outcome);
        assertNotNull(outcome.result, outcome::toString);
        assertEquals(TestExecutionResult.Status.FAILED, outcome.result.getStatus(), outcome::toString);
    }

    /** Runs {@link NeedsRedis} through a JUnit launcher of its own and reports what happened to the class. */
    private static Outcome run() {
        Outcome outcome = new Outcome();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(NeedsRedis.class))
                // Only the extension under test: no LeakGuard from the test-jar's autodetection.
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                .build(), new TestExecutionListener() {
                    @Override
                    public void executionSkipped(TestIdentifier id, String reason) {
                        if (isNeedsRedis(id)) {
                            outcome.skipReason = reason;
                        }
                    }

                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (isNeedsRedis(id)) {
                            outcome.result = result;
                        }
                    }
                });
        return outcome;
    }

    private static boolean isNeedsRedis(TestIdentifier id) {
        return id.getSource().filter(s -> s instanceof ClassSource c && c.getJavaClass() == NeedsRedis.class).isPresent();
    }

    /** JUnit's verdict on {@link NeedsRedis}: finished with a result, or skipped with a reason. */
    private static final class Outcome {
        volatile TestExecutionResult result;
        volatile String skipReason;

        @Override
        public String toString() {
            return "result=" + result + ", skipReason=" + skipReason;
        }
    }

    /** A test class needing Redis; only run by {@link #run()} (Surefire skips nested classes). */
    static final class NeedsRedis {
        static final AtomicInteger runs = new AtomicInteger();

        @RegisterExtension
        static final RedisClusterExtension redis = new RedisClusterExtension(() -> redisPresent, properties::get);

        @Test
        void needsRedis() {
            runs.incrementAndGet();
        }
    }
}
