/**
 * What code embedding the client extends or implements: {@link io.rcproxy.cluster.spi.ClusterCommand}, a
 * command with its own reply handling (the proxy's reply entries are ones), and
 * {@link io.rcproxy.cluster.spi.ClusterListener}, the client's events. Kept apart from the root package so
 * the client's machinery can depend on these types without depending on the client that owns it.
 */
package io.rcproxy.cluster.spi;
