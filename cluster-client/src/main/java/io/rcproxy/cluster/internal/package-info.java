/**
 * Rules the client applies in several places, written once: the {@link io.rcproxy.cluster.internal.Backoff}
 * policy and the error texts of {@link io.rcproxy.cluster.internal.ClientErrors}. For this library and the
 * proxy built on it; no compatibility promise to other users.
 */
package io.rcproxy.cluster.internal;
