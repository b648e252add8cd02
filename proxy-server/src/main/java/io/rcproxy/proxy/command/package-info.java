/**
 * The command table, loaded once from {@code commands.tsv}: each command's key positions, routing and merge,
 * and the slot of a request's keys.
 */
package io.rcproxy.proxy.command;
