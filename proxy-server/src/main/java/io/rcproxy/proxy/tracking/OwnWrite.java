package io.rcproxy.proxy.tracking;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.proxy.reply.PendingReply;

/**
 * A write of a NOLOOP tracking client, forwarded like any single-slot command (redirects followed) but
 * with a callback once its reply has come: the invalidation it caused has then normally arrived, and the
 * client's marks on its keys ({@link OwnWrites}) can go at the end of that loop turn.
 *
 * <p>Thread: the client's event loop. Ownership: holds the request frame until finished (see
 * {@link ClusterCommand}); the reply passes to the client's {@link PendingReply}.
 */
final class OwnWrite extends ClusterCommand {

    private final PendingReply entry;
    private final Runnable replied;

    OwnWrite(ByteBuf frame, int slot, int maxRedirects, PendingReply entry, Runnable replied) {
        super(frame, slot, maxRedirects);
        this.entry = entry;
        this.replied = replied;
    }

    @Override
    protected void onReply(ByteBuf reply) {
        entry.complete(reply);
        replied.run();
    }

    @Override
    protected void onError(String message) {
        entry.fail(message);
        replied.run();
    }
}
