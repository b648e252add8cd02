package io.rcproxy.cluster.internal.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rcproxy.cluster.spi.ClusterCommand;
import java.nio.charset.StandardCharsets;

/**
 * A command a connection sends for itself, ASKING or AUTH, whose reply is swallowed once looked at (AUTH's
 * by the connection, which reads the verdict with {@link #refusal}). Its frame is a duplicate of a shared
 * buffer: writing may move a reader index, and the shared one must not move.
 *
 * <p>Thread: the connection's event loop.
 */
final class ControlCommand extends ClusterCommand {

    /** Never released: each command takes a duplicate that shares the unreleasable content. */
    private static final ByteBuf ASKING_FRAME = Unpooled.unreleasableBuffer(Unpooled.directBuffer(32)
            .writeBytes("*1\r\n$6\r\nASKING\r\n".getBytes(StandardCharsets.US_ASCII)));

    private static final ByteBuf READONLY_FRAME = Unpooled.unreleasableBuffer(Unpooled.directBuffer(32)
            .writeBytes("*1\r\n$8\r\nREADONLY\r\n".getBytes(StandardCharsets.US_ASCII)));

    private final boolean auth;

    private ControlCommand(ByteBuf sharedFrame, boolean auth) {
        super(sharedFrame.duplicate(), ClusterCommand.ANY_SLOT, 0);
        this.auth = auth;
    }

    static ControlCommand asking() {
        return new ControlCommand(ASKING_FRAME, false);
    }

    /** What a connection to a replica sends first (after AUTH), so the replica serves reads of its slots. */
    static ControlCommand readOnly() {
        return new ControlCommand(READONLY_FRAME, false);
    }

    /** {@code authFrame} is the configured AUTH command, owned by the connection options. */
    static ControlCommand auth(ByteBuf authFrame) {
        return new ControlCommand(authFrame, true);
    }

    boolean isAuth() {
        return auth;
    }

    /**
     * The error of a refused AUTH ("WRONGPASS invalid username-password pair ..."), without its dash and
     * line end; null when AUTH succeeded. Does not consume {@code reply}.
     */
    static String refusal(ByteBuf reply) {
        if (reply.readableBytes() > 3 && reply.getByte(reply.readerIndex()) == '-') {
            return reply.toString(reply.readerIndex() + 1, reply.readableBytes() - 3, StandardCharsets.UTF_8);
        }
        return null;
    }

    @Override
    protected void onReply(ByteBuf reply) {
        reply.release();
    }

    @Override
    protected void onError(String message) {
        // the commands behind it report the failure
    }
}
