package io.rcproxy.cluster.connection;

import io.rcproxy.cluster.resp.RespLimits;
import java.time.Duration;

/** How backend connections are made and policed; shared, immutable. */
public record ConnectionOptions(Transport transport, Duration connectTimeout, Duration commandTimeout,
                                RespLimits limits) {
}
