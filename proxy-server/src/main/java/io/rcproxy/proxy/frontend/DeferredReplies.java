package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.Replies;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Local answers that are not ready when their request is read: a failed AUTH's error held back by the
 * brute-force delay, and ACL LOAD's outcome from the reload thread. Each fills an entry already queued in
 * the client's reply order, so later replies wait behind it. The reply buffer is built only when it is due;
 * an entry whose client has gone by then releases it ({@code PendingReply.onReply}).
 *
 * <p>Thread: scheduled on and completed on the client's event loop. Stateless.
 */
final class DeferredReplies {

    private DeferredReplies() {
    }

    /** Completes {@code entry} with the error {@code message} after {@code delayMillis}. */
    static void errorAfter(PendingReply entry, EventLoop loop, ByteBufAllocator alloc, String message,
                           long delayMillis) {
        if (delayMillis <= 0) {
            entry.complete(Replies.error(alloc, message));
        } else {
            loop.schedule(() -> entry.complete(Replies.error(alloc, message)), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Completes {@code entry} with +OK when {@code outcome} gives null, else with the error text it gives. */
    static void whenDone(PendingReply entry, EventLoop loop, ByteBufAllocator alloc, CompletionStage<String> outcome) {
        outcome.whenComplete((error, failure) -> loop.execute(() -> entry.complete(
                error == null && failure == null ? Replies.ok()
                        : Replies.error(alloc, error != null ? error : "ERR " + failure))));
    }
}
