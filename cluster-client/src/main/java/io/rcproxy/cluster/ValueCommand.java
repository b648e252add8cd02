package io.rcproxy.cluster;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.internal.resp.RespValueParser;
import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.cluster.spi.ClusterCommand;
import java.util.concurrent.CompletableFuture;

/** A library call: parses the reply into a {@link RespValue} and completes a future with it. */
final class ValueCommand extends ClusterCommand {

    private final CompletableFuture<RespValue> result = new CompletableFuture<>();

    ValueCommand(ByteBuf frame, int slot, int maxRedirects) {
        super(frame, slot, maxRedirects);
    }

    CompletableFuture<RespValue> result() {
        return result;
    }

    @Override
    protected void onReply(ByteBuf reply) {
        try {
            result.complete(RespValueParser.parse(reply));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        } finally {
            reply.release();
        }
    }

    @Override
    protected void onError(String message) {
        result.complete(new RespValue.ErrorReply(message));
    }
}
