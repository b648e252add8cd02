package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.rcproxy.proxy.protocol.RedisRequest;

/**
 * Answers one command the proxy serves itself ({@code local} rows of the command table). Picked once per
 * row when the frontend takes the table ({@link LocalCommands#resolve}), so a request finds its handler by
 * its spec's id.
 *
 * <p>Thread: the client's event loop. The request is only read (the caller releases it); the reply is a
 * new buffer the caller owns, or null when the handler queued its answer itself (a delayed -WRONGPASS).
 */
@FunctionalInterface
interface LocalHandler {

    ByteBuf answer(RedisRequest request, ClientHandler client);
}
