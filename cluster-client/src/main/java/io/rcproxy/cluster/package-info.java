/** Redis Cluster client: slots, topology, multiplexed node connections and redirects. */
package io.rcproxy.cluster;
