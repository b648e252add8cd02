/**
 * Requests answered from several nodes' replies: multi-key commands split by slot, commands broadcast to
 * every master, the cluster-wide SCAN cursor and INFO, each merged as the command table says.
 */
package io.rcproxy.proxy.multinode;
