package io.rcproxy.proxy.auth;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;

/**
 * The authentication counters: failed AUTH attempts, and reloads of the users by outcome. Registered in the
 * proxy's own registry beside its other metrics.
 *
 * <p>Thread-safe: counted from every event loop and the reload thread.
 */
public final class AuthMetrics {

    private final Counter.Child failures;
    private final Counter.Child reloaded;
    private final Counter.Child reloadFailed;

    public AuthMetrics(CollectorRegistry registry) {
        failures = Counter.build("redis_proxy_auth_failures", "Failed AUTH and HELLO AUTH attempts")
                .withoutExemplars().register(registry).labels();
        Counter reloads = Counter.build("redis_proxy_auth_reloads",
                "Reloads of the users and passwords from their files, by outcome (ok, error)")
                .labelNames("outcome").withoutExemplars().register(registry);
        reloaded = reloads.labels("ok");
        reloadFailed = reloads.labels("error");
    }

    /** Counters that go nowhere, for tests of parts that need some. */
    public static AuthMetrics unregistered() {
        return new AuthMetrics(new CollectorRegistry());
    }

    void failure() {
        failures.inc();
    }

    void reload(boolean ok) {
        (ok ? reloaded : reloadFailed).inc();
    }
}
