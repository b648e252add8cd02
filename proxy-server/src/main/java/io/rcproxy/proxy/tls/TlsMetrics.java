package io.rcproxy.proxy.tls;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;

/** TLS counters: failed client handshakes, and certificate reloads by outcome. Thread-safe. */
public final class TlsMetrics {

    private final Counter.Child handshakeFailures;
    private final Counter.Child reloaded;
    private final Counter.Child reloadFailed;

    public TlsMetrics(CollectorRegistry registry) {
        handshakeFailures = Counter.build("redis_proxy_tls_handshake_failures",
                        "Client connections closed because their TLS handshake failed or was not TLS")
                .withoutExemplars().register(registry).labels();
        Counter reloads = Counter.build("redis_proxy_tls_certificate_reloads",
                        "Reloads of the listener's certificate files after they changed, by outcome (ok, error)")
                .labelNames("outcome").withoutExemplars().register(registry);
        reloaded = reloads.labels("ok");
        reloadFailed = reloads.labels("error");
    }

    void handshakeFailed() {
        handshakeFailures.inc();
    }

    void reload(boolean ok) {
        (ok ? reloaded : reloadFailed).inc();
    }
}
