/**
 * Prometheus metrics: per-command counts and latencies, client traffic, cluster events.
 */
package io.rcproxy.proxy.metrics;
