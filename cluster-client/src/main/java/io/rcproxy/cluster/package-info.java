/**
 * Redis Cluster client, public API: start a {@link io.rcproxy.cluster.ClusterClient} from a
 * {@link io.rcproxy.cluster.ClusterClientConfig} and send commands. The types it hands out live in
 * {@code spi} (commands with their own reply handling, the event listener), {@code resp} (replies,
 * redirects), {@code topology} (the slot map snapshot) and {@code slot} (CRC16 hashing). Everything under
 * {@code internal} is machinery with no compatibility promise.
 *
 * <p>Packages form layers: this one uses {@code internal}, which uses the type packages, which use neither
 * (PackageCyclesTest keeps it so).
 */
package io.rcproxy.cluster;
