/**
 * Hash slots: CRC16 and the hash-tag rule that map a key to one of the 16384 slots of a Redis Cluster.
 * Everything here is stateless and allocation-free, so any thread may call it on the hot path.
 */
package io.rcproxy.cluster.slot;
