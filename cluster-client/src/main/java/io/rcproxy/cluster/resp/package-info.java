/**
 * RESP2 framing: an allocation-free scanner that finds frame boundaries so frames can travel as the
 * bytes they arrived as, a reply decoder built on it, a parser into {@link io.rcproxy.cluster.resp.RespValue}
 * for the few replies that must be understood, command encoding, and the redirect classifier.
 */
package io.rcproxy.cluster.resp;
