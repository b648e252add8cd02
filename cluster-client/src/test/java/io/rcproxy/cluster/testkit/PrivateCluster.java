package io.rcproxy.cluster.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link RedisClusterExtension} for a fresh cluster of one's own instead of the shared one,
 * for tests that stop nodes, fail over or move slots. The cluster lives as long as the scope that
 * received it: a test method parameter until the method ends, a constructor or {@code @BeforeAll}
 * parameter until the class ends.
 * <pre>{@code
 * @Test
 * void survivesFailover(@PrivateCluster(masters = 3, replicas = 1) RedisClusterProcess cluster) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface PrivateCluster {

    /** Number of masters. */
    int masters() default 3;

    /** Number of replicas of each master. */
    int replicas() default 0;

    /** A password every node requires ({@code requirepass} and {@code masterauth}); empty for none. */
    String password() default "";
}
