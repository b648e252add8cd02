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
 * @param authFrame the command every new connection sends before anything else, whose error fails the
 *                  connection, or null: {@code AUTH} on RESP2 connections, {@code HELLO 3 [AUTH]} on RESP3
 *                  ones ({@link #forResp3}). It is unreleasable and shared by every connection: each write
 *                  takes its own duplicate.
 * @param dedicatedPool how many idle dedicated connections each loop keeps per node, and for how long
 * @param helloFrame {@code HELLO 3}, with {@code AUTH} when a password is set: what RESP3 connections send
 *                   first; unreleasable and shared like {@code authFrame}
 * @param tls        TLS handlers for every connection, or null for plain TCP
 * @param readOnly   whether every new connection sends {@code READONLY} after authenticating: connections
 *                   to replicas that serve reads ({@link #forReplicas})
 */
public record ConnectionOptions(Transport transport, Duration connectTimeout, Duration commandTimeout,
                                RespLimits limits, ByteBuf authFrame, DedicatedPoolOptions dedicatedPool,
                                ByteBuf helloFrame, BackendTls tls, boolean readOnly) {

    public ConnectionOptions {
        Objects.requireNonNull(dedicatedPool, "dedicatedPool");
        Objects.requireNonNull(helloFrame, "helloFrame");
    }

    /** Options for connections to masters (no READONLY). */
    public ConnectionOptions(Transport transport, Duration connectTimeout, Duration commandTimeout,
                             RespLimits limits, ByteBuf authFrame, DedicatedPoolOptions dedicatedPool,
                             ByteBuf helloFrame, BackendTls tls) {
        this(transport, connectTimeout, commandTimeout, limits, authFrame, dedicatedPool, helloFrame, tls, false);
    }

    /** Plain TCP connections that do not authenticate when they speak RESP3. */
    public ConnectionOptions(Transport transport, Duration connectTimeout, Duration commandTimeout,
                             RespLimits limits, ByteBuf authFrame, DedicatedPoolOptions dedicatedPool) {
        this(transport, connectTimeout, commandTimeout, limits, authFrame, dedicatedPool, helloFrame(null, null),
                null);
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

    /**
     * The same options for connections that speak RESP3: each starts with {@code HELLO 3} (authenticating
     * in the same command when a password is set), so Redis's replies are RESP3 from the first one on.
     */
    public ConnectionOptions forResp3() {
        return new ConnectionOptions(transport, connectTimeout, commandTimeout, limits, helloFrame, dedicatedPool,
                helloFrame, tls, readOnly);
    }

    /** The same options for connections to replicas serving reads: each sends {@code READONLY} first. */
    public ConnectionOptions forReplicas() {
        return new ConnectionOptions(transport, connectTimeout, commandTimeout, limits, authFrame, dedicatedPool,
                helloFrame, tls, true);
    }

    /** Whether connections made with these options speak RESP3. */
    public boolean speaksResp3() {
        return authFrame == helloFrame;
    }

    /**
     * The {@code HELLO 3 [AUTH username password]} frame for {@link #helloFrame}; {@code default} stands for
     * a missing username, as with AUTH. The buffer lives as long as the options; nobody releases it.
     */
    public static ByteBuf helloFrame(String username, String password) {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        ByteBuf frame;
        if (password == null || password.isEmpty()) {
            frame = CommandFrame.encode(alloc, "HELLO", "3");
        } else {
            String user = username == null || username.isEmpty() ? "default" : username;
            frame = CommandFrame.encode(alloc, "HELLO", "3", "AUTH", user, password);
        }
        return Unpooled.unreleasableBuffer(frame);
    }

    /** The password must not reach a log through the frame's bytes; only whether there is one. */
    @Override
    public String toString() {
        return "ConnectionOptions[transport=" + transport + ", connectTimeout=" + connectTimeout
                + ", commandTimeout=" + commandTimeout + ", limits=" + limits + ", auth=" + (authFrame != null)
                + ", dedicatedPool=" + dedicatedPool + ", resp3=" + speaksResp3() + ", tls=" + (tls != null) + ", readOnly=" + readOnly + "]";
    }
}
