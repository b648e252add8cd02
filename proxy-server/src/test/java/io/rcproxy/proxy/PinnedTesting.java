package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the pinned-connection integration tests. */
final class PinnedTesting {

    private PinnedTesting() {
    }

    static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    static List<String> texts(Object reply) {
        return ((List<?>) reply).stream().map(PinnedTesting::text).toList();
    }

    static String error(Object reply) {
        return assertInstanceOf(RedisErrorReply.class, reply).message();
    }

    /** The master port owning {@code key}'s slot. */
    static int masterOf(RedisClusterProcess cluster, String key) {
        return cluster.portOwningSlot(SlotHash.slot(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** CLIENT LIST lines of a backend node that satisfy {@code filter}. */
    static long backendClients(RedisClusterProcess cluster, int port, java.util.function.Predicate<String> filter) {
        try (RedisTestConnection node = cluster.connect(port)) {
            return Arrays.stream(node.callText("CLIENT", "LIST").split("\n")).filter(filter).count();
        }
    }

    static boolean eventually(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
