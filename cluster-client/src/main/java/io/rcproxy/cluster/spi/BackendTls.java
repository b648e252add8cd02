package io.rcproxy.cluster.spi;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;

/**
 * Encrypts connections to the nodes: the embedder (the proxy) builds the TLS handler, so this library
 * needs no TLS code or settings of its own. With it set, topology replies are read for the nodes' TLS
 * ports and announced endpoints.
 *
 * <p>Thread-safe: called on every event loop as connections open.
 */
@FunctionalInterface
public interface BackendTls {

    /** A handler placed first in the pipeline of a new connection to {@code host:port}; one per connection. */
    ChannelHandler newHandler(ByteBufAllocator alloc, String host, int port);
}
