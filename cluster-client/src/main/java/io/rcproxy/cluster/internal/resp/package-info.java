/**
 * RESP2 framing for the client's own connections: an allocation-free scanner that finds frame boundaries
 * so frames can travel as the bytes they arrived as, the reply decoder built on it, and the parser into
 * {@link io.rcproxy.cluster.resp.RespValue} for topology replies and library calls, and the parser of MOVED
 * and ASK errors ({@link io.rcproxy.cluster.internal.resp.Redirect}).
 */
package io.rcproxy.cluster.internal.resp;
