/**
 * Client-side caching through the proxy (CLIENT TRACKING, CACHING, TRACKINGINFO, GETREDIR): per event loop
 * a table of the keys tracking clients read, fed by one invalidation link per master (a RESP2 connection in
 * BCAST tracking mode, redirected to itself and subscribed to {@code __redis__:invalidate}). The frontend
 * calls in through {@link io.rcproxy.proxy.tracking.ClientTracking}; invalidations reach clients through
 * {@link io.rcproxy.proxy.reply.ClientPort#push}. See docs/tracking.md.
 */
package io.rcproxy.proxy.tracking;
