/**
 * RESP in: the request decoder that frames client bytes as retained slices (multibulk and inline), its limits,
 * and its fair share of the event loop per turn.
 */
package io.rcproxy.proxy.protocol;
