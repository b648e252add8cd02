package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rcproxy.cluster.spi.ClusterCommand;
import java.nio.charset.StandardCharsets;

/**
 * A command the proxy sends on a client's behalf whose reply the client must not see, because the proxy
 * already answered it (MULTI and commands queued before a transaction was pinned) or because the client
 * never asked (the DISCARD behind an EXECABORT, the DISCARD or UNWATCH behind a RESET). Thread: the client's event loop. Owns its frame like any
 * {@link ClusterCommand}; releases the reply.
 */
final class SwallowedReply extends ClusterCommand {

    private static final ByteBuf MULTI = constant("*1\r\n$5\r\nMULTI\r\n");
    private static final ByteBuf DISCARD = constant("*1\r\n$7\r\nDISCARD\r\n");
    private static final ByteBuf UNWATCH = constant("*1\r\n$7\r\nUNWATCH\r\n");

    private SwallowedReply(ByteBuf frame) {
        super(frame, ClusterCommand.ANY_SLOT, 0);
    }

    /** Takes ownership of {@code frame}. */
    static SwallowedReply of(ByteBuf frame) {
        return new SwallowedReply(frame);
    }

    static SwallowedReply multi() {
        // A duplicate: the shared constant's indexes must not move, and releasing it is a no-op.
        return new SwallowedReply(MULTI.duplicate());
    }

    static SwallowedReply discard() {
        return new SwallowedReply(DISCARD.duplicate());
    }

    static SwallowedReply unwatch() {
        return new SwallowedReply(UNWATCH.duplicate());
    }

    private static ByteBuf constant(String text) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(text.length())
                .writeBytes(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    protected void onReply(ByteBuf reply) {
        reply.release();
    }

    @Override
    protected void onError(String message) {
        // the client hears about a lost connection through the commands it did send
    }
}
