package io.rcproxy.cluster.internal.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.rcproxy.cluster.resp.CommandFrame;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.spi.BackendTls;
import java.time.Duration;
import java.util.Objects;

/**
 * How backend connections are made and policed; shared, immutable.
 *
 * @param authFrame an {@code AUTH} command every new connection sends before anything else, or null. It is
 *                  unreleasable and shared by every connection: each write takes its own duplicate.
 * @param dedicatedPool how many idle dedicated connections each loop keeps per node, and for how long
 * @param tls       TLS handlers for every connection, or null for plain TCP
 */
public record ConnectionOptions(Transport transport, Duration connectTimeout, Duration commandTimeout,
                                RespLimits limits, ByteBuf authFrame, DedicatedPoolOptions dedicatedPool,
                                BackendTls tls) {

    public ConnectionOptions {
        Objects.requireNonNull(dedicatedPool, "dedicatedPool");
    }

    /** Plain TCP connections. */
    public ConnectionOptions(Transport transport, Duration connectTimeout, Duration commandTimeout,
                             RespLimits limits, ByteBuf authFrame, DedicatedPoolOptions dedicatedPool) {
        this(transport, connectTimeout, commandTimeout, limits, authFrame, dedicatedPool, null);
    }

    /** Options with the default pool of idle dedicated connections. */
    public ConnectionOptions(Transport transport, Duration connectTimeout, Duration commandTimeout,
                             RespLimits limits, ByteBuf authFrame) {
        this(transport, connectTimeout, commandTimeout, limits, authFrame, DedicatedPoolOptions.DEFAULT);
    }

    /** Options for connections that do not authenticate. */
    public ConnectionOptions(Transport transport, Duration connectTimeout, Duration commandTimeout,
                             RespLimits limits) {
        this(transport, connectTimeout, commandTimeout, limits, null);
    }

    /**
     * The {@code AUTH [username] password} frame for {@link #authFrame}, or null when {@code password} is
     * empty. The buffer lives as long as the options; nobody releases it.
     */
    public static ByteBuf authFrame(String username, String password) {
        if (password == null || password.isEmpty()) {
            return null;
        }
        // A heap buffer outside leak detection: it is dropped unreleased when the client closes, on purpose.
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        ByteBuf frame = username == null || username.isEmpty()
                ? CommandFrame.encode(alloc, "AUTH", password)
                : CommandFrame.encode(alloc, "AUTH", username, password);
        return Unpooled.unreleasableBuffer(frame);
    }

    /** The password must not reach a log through the frame's bytes; only whether there is one. */
    @Override
    public String toString() {
        return "ConnectionOptions[transport=" + transport + ", connectTimeout=" + connectTimeout
                + ", commandTimeout=" + commandTimeout + ", limits=" + limits + ", auth=" + (authFrame != null)
                + ", dedicatedPool=" + dedicatedPool + ", tls=" + (tls != null) + "]";
    }
}
