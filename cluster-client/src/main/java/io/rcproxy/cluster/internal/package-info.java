/**
 * The client's machinery, for this library and the proxy built on it, with no compatibility promise to
 * other users: node connections and their pools ({@code connection}), the per-loop router that follows
 * redirects ({@code dispatch}), the topology refresher ({@code topology}), the buffer-memory budget
 * ({@code memory}), and rules applied in several places, written once here: the
 * {@link io.rcproxy.cluster.internal.Backoff} policy and the error texts of
 * {@link io.rcproxy.cluster.internal.ClientErrors}.
 */
package io.rcproxy.cluster.internal;
