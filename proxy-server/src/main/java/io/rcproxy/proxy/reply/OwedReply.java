package io.rcproxy.proxy.reply;

import io.netty.buffer.ByteBuf;

/**
 * The client's place in its reply queue for a command answered from several nodes: the frontend's entry,
 * seen from here. It is never sent anywhere; the multi-node request completes it exactly once.
 *
 * <p>Thread: the client's event loop.
 */
public interface OwedReply {

    /** Delivers the client's reply; ownership passes on. A second completion only releases its reply. */
    void complete(ByteBuf reply);

    /** Whether the client has gone, so parts' replies can be dropped as they arrive. */
    boolean isAbandoned();
}
