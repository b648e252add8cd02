package io.rcproxy.cluster.testkit;

/**
 * One leak Netty's leak detector reported: a tracked resource became unreachable without being
 * released. Immutable.
 *
 * @param resourceType the tracked type, usually {@code ByteBuf}
 * @param records the access records ("Created at: ..."), empty when the leak was not traced
 */
public record LeakReport(String resourceType, String records) {

    @Override
    public String toString() {
        return "LEAK of " + resourceType + (records.isEmpty()
                ? " (untraced: run with -Dio.netty.leakDetection.level=paranoid to see where)"
                : ":" + records);
    }
}
