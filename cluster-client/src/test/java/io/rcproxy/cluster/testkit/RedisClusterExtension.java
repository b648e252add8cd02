package io.rcproxy.cluster.testkit;

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
 * <p>Where neither redis-server nor Docker exists, the annotated test classes are skipped with a
 * message saying so, instead of failing. Called by JUnit on the test thread.
 */
public final class RedisClusterExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RedisClusterExtension.class);
    private static final Object SHARED_LOCK = new Object();
    private static RedisClusterProcess shared;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return RedisClusterProcess.isAvailable()
                ? ConditionEvaluationResult.enabled("redis-server or Docker available")
                : ConditionEvaluationResult.disabled(RedisClusterProcess.unavailableReason());
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
