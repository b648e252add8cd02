/**
 * RESP2 values and the rules around them that callers need: {@link io.rcproxy.cluster.resp.RespValue}
 * (the few replies that must be understood), command encoding ({@link io.rcproxy.cluster.resp.CommandFrame}),
 * the redirect classifier ({@link io.rcproxy.cluster.resp.RedirectKind}), the limits on what a peer may send, and
 * {@link io.rcproxy.cluster.resp.RespDecimal}, the one decimal-integer parser of both modules. The
 * allocation-free frame scanner, the decoders built on it and the MOVED/ASK parser are machinery, in
 * {@code internal.resp}.
 */
package io.rcproxy.cluster.resp;
