/**
 * The client connection: the channel adapter ({@link io.rcproxy.proxy.frontend.ClientHandler}), the routing
 * of each request by its command's row ({@link io.rcproxy.proxy.frontend.ClientRequests}), client sessions, and the
 * commands the proxy answers itself.
 */
package io.rcproxy.proxy.frontend;
