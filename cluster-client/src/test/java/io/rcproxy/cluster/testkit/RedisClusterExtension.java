package io.rcproxy.cluster.testkit;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests a real Redis Cluster.
 *
 * <p>A parameter of type {@link RedisClusterProcess} receives the <em>shared</em> cluster: five
 * masters, no replicas, started once per JVM (cluster start-up is the slow part of a test run on a
 * small machine) and stopped when the whole run ends, through an {@link AutoCloseable} in the root
 * {@link ExtensionContext.Store}. Tests must leave it as they found it; a test that stops nodes or
 * moves slots annotates its parameter with {@link PrivateCluster}, or manages one with
 * {@link RedisClusterProcess#startNew(int, int)} in try-with-resources.
 * <pre>{@code
 * @ExtendWith(RedisClusterExtension.class)
 * class RouterIT {
 *     @Test
 *     void routesToOwner(RedisClusterProcess cluster) { ... }
 * }
 * }</pre>
 *
 * <p>Where neither redis-server nor Docker exists, every annotated test class <em>fails</em> with
 * the reason and the install hint, so a green build always means the integration tests ran. With
 * {@code -Drcproxy.redis-tests=skip} (see {@link #TESTS_PROPERTY}) the annotated classes are skipped
 * instead, whether or not Redis is there: a unit-tests-only build. Called by JUnit on the test thread.
 */
public final class RedisClusterExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RedisClusterExtension.class);
    private static final Object SHARED_LOCK = new Object();
    private static RedisClusterProcess shared;

    /**
     * System property choosing what happens to the tests that need a real Redis: {@value #REQUIRED}
     * (the default, also when unset or empty) runs them and fails them where no Redis can be started;
     * {@value #SKIP} skips them. Maven passes {@code -D} options on its command line to the test JVMs.
     */
    public static final String TESTS_PROPERTY = "rcproxy.redis-tests";
    /** {@link #TESTS_PROPERTY} value: run the tests, fail them without Redis. */
    public static final String REQUIRED = "required";
    /** {@link #TESTS_PROPERTY} value: skip the tests that need Redis. */
    public static final String SKIP = "skip";

    private final BooleanSupplier redisAvailable;
    private final UnaryOperator<String> systemProperty;

    /** The extension as JUnit creates it: the real detection and the real system properties. */
    public RedisClusterExtension() {
        this(RedisClusterProcess::isAvailable, System::getProperty);
    }

    /** For tests of the condition itself: whether Redis can run, and where properties come from. */
    RedisClusterExtension(BooleanSupplier redisAvailable, UnaryOperator<String> systemProperty) {
        this.redisAvailable = redisAvailable;
        this.systemProperty = systemProperty;
    }

    /**
     * Enabled when Redis can run here; disabled when {@link #TESTS_PROPERTY} is {@value #SKIP};
     * otherwise throws, which JUnit reports as a failure of the test class.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String mode = systemProperty.apply(TESTS_PROPERTY);
        mode = mode == null || mode.isBlank() ? REQUIRED : mode.trim().toLowerCase(Locale.ROOT);
        if (mode.equals(SKIP)) {
            return ConditionEvaluationResult.disabled("tests that need Redis are skipped by -D" + TESTS_PROPERTY + "=" + SKIP);
        }
        if (!mode.equals(REQUIRED)) {
            throw new RedisTestException("-D" + TESTS_PROPERTY + "=" + systemProperty.apply(TESTS_PROPERTY)
                    + ": expected " + REQUIRED + " (the default) or " + SKIP);
        }
        if (redisAvailable.getAsBoolean()) {
            return ConditionEvaluationResult.enabled("redis-server or Docker available");
        }
        throw new RedisTestException(RedisClusterProcess.unavailableReason()
                + " To build without the tests that need Redis, pass -D" + TESTS_PROPERTY + "=" + SKIP + ".");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Registered before any test can start the shared cluster, so the root store always stops it.
        context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedClusterCloser.class, k -> new SharedClusterCloser(), SharedClusterCloser.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisClusterProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        PrivateCluster spec = parameter.findAnnotation(PrivateCluster.class).orElse(null);
        if (spec == null) {
            return sharedCluster();
        }
        RedisClusterProcess cluster = RedisClusterProcess.startNew(spec.masters(), spec.replicas(),
                spec.password().isEmpty() ? null : spec.password());
        // The store of the receiving scope closes it when that scope (method or class) ends.
        context.getStore(NAMESPACE).put(new Object(), cluster);
        return cluster;
    }

    /**
     * The shared cluster, started on first use and checked to have settled on every later use.
     * Usable from any test in a class extended with this extension (for example in a static
     * {@code @BeforeAll}); elsewhere the JVM shutdown hook is what stops it.
     */
    public static RedisClusterProcess sharedCluster() {
        synchronized (SHARED_LOCK) {
            if (shared == null) {
                shared = RedisClusterProcess.startNew(RedisClusterProcess.DEFAULT_MASTERS, 0);
            } else {
                // Cheap when healthy (one round of checks); catches a previous class that left it disturbed.
                shared.awaitClusterOk();
            }
            return shared;
        }
    }

    /** Stops the shared cluster when the root context closes, i.e. after the last test of the run. */
    private static final class SharedClusterCloser implements AutoCloseable {
        @Override
        public void close() {
            synchronized (SHARED_LOCK) {
                if (shared != null) {
                    shared.close();
                    shared = null;
                }
            }
        }
    }
}
