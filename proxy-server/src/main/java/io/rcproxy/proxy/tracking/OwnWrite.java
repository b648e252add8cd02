package io.rcproxy.proxy.tracking;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.proxy.reply.PendingReply;

/**
 * A write of a NOLOOP tracking client, forwarded like any single-slot command (redirects followed) but
 * with a callback once its reply has come: from then on a barrier on the invalidation links tells when
 * the invalidations it caused have all arrived, and the client's marks on its keys can go.
 *
 * <p>Thread: the client's event loop. Ownership: holds the request frame until finished (see
 * {@link ClusterCommand}); the reply passes to the client's {@link PendingReply}.
 */
final class OwnWrite extends ClusterCommand {

    /** A key the client wrote: how many of its writes are unsettled, and whether it read it again since. */
    static final class Mark {
        int inFlight;
        boolean reread;
    }

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
