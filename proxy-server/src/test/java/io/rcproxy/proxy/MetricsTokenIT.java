package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** proxy.metrics.token-file: /metrics needs the bearer token; the health paths only when asked. */
@ExtendWith(RedisClusterExtension.class)
class MetricsTokenIT {

    @Test
    void metricsNeedTheTokenAndHealthDoesNotUnlessAsked(RedisClusterProcess cluster, @TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "s3cr3t-token\n");
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.metrics.token-file", token.toString()))) {
            int port = proxy.metricsPort();
            assertEquals(401, AdminHttp.get(port, "/metrics").status());
            assertEquals(401, AdminHttp.getWithToken(port, "/metrics", "wrong").status());
            AdminHttp.Response ok = AdminHttp.getWithToken(port, "/metrics", "s3cr3t-token");
            assertEquals(200, ok.status());
            assertTrue(ok.body().contains("redis_proxy_commands"));
            assertEquals(200, AdminHttp.get(port, "/health/ready").status());

            // A rotated token file takes effect without a restart.
            Files.writeString(token, "rotated\n");
            Files.setLastModifiedTime(token, FileTime.from(Instant.now().plusSeconds(5)));
            assertEquals(401, AdminHttp.getWithToken(port, "/metrics", "s3cr3t-token").status());
            assertEquals(200, AdminHttp.getWithToken(port, "/metrics", "rotated").status());
        }
        try (RunningProxy proxy = RunningProxy.start(cluster, Map.of("proxy.metrics.token-file", token.toString(),
                "proxy.metrics.protect-health", true))) {
            assertEquals(401, AdminHttp.get(proxy.metricsPort(), "/health/live").status());
            assertEquals(200, AdminHttp.getWithToken(proxy.metricsPort(), "/health/live", "rotated").status());
        }
    }
}
