package io.rcproxy.proxy.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.rcproxy.proxy.config.ClientTlsConfig;
import io.rcproxy.proxy.config.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client listener's TLS: the current {@link SslContext}, published through one volatile field and
 * taken by each new connection, and a watcher that rebuilds it when the certificate, key or client CA
 * files change on disk (cert-manager rotating a Secret). A connection keeps the engine it was accepted
 * with, so a rotation drops nobody. A new set of files that does not load is logged and counted, and the
 * certificate in use stays.
 *
 * <p>Thread-safe: {@link #newHandler} from every event loop, the reload on a thread of its own (it reads
 * files).
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private final ClientTlsConfig config;
    private final TlsMetrics metrics;
    private volatile SslContext context;
    private String lastSeen;
    private ScheduledExecutorService watcher;

    /** @throws InvalidConfigException naming the key, when the files cannot be used */
    public ServerTls(ClientTlsConfig config, TlsMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.lastSeen = fingerprint();
        this.context = TlsContexts.server(config);
    }

    public ClientTlsConfig config() {
        return config;
    }

    /** A handler for one new client connection, with the certificate current now. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = context.newHandler(alloc);
        handler.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
        return handler;
    }

    /** Starts checking the files every {@code reload-interval}. */
    public void watch() {
        if (config.reloadInterval().isZero()) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tls-reload");
            t.setDaemon(true);
            return t;
        });
        long every = config.reloadInterval().toMillis();
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Rebuilds the context when a file's contents changed since the last look.
     *
     * @return whether a new context is now in use
     */
    synchronized boolean reloadIfChanged() {
        String now = fingerprint();
        if (now.equals(lastSeen)) {
            return false;
        }
        try {
            context = TlsContexts.server(config);
            lastSeen = now;
            metrics.reload(true);
            log.info("TLS certificate reloaded from {}", config.certFile());
            return true;
        } catch (InvalidConfigException e) {
            // Likely caught between the certificate and the key being swapped: tried again next time.
            metrics.reload(false);
            log.warn("TLS certificate not reloaded, the one in use stays: {}", e.getMessage());
            return false;
        }
    }

    private String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String file : new String[] {config.certFile(), config.keyFile(), config.clientCaFile()}) {
                if (!file.isEmpty()) {
                    digest.update(read(file));
                    digest.update((byte) 0);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(String file) {
        try {
            return Files.readAllBytes(Path.of(file)); // a Kubernetes Secret swaps a symlink: followed
        } catch (IOException e) {
            return new byte[0];
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
