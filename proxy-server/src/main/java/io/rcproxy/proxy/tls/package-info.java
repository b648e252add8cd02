/**
 * TLS with Netty's {@code SslHandler}: the client listener's certificate (reloaded from disk when it
 * changes, connections kept), mTLS, handshake failures counted and closed quietly, and the handlers that
 * encrypt connections to the nodes with CA and hostname checks.
 */
package io.rcproxy.proxy.tls;
