/**
 * Replies out, in request order: the reply queue and its entries, the reply builders and Redis's error texts,
 * and the {@link io.rcproxy.proxy.reply.ClientPort} through which multi-node and pinned code reach a client.
 */
package io.rcproxy.proxy.reply;
