/**
 * State that lives on a backend connection dedicated to one client: MULTI/EXEC with WATCH, blocking commands,
 * and subscriptions, each a small state machine.
 */
package io.rcproxy.proxy.pinned;
