package io.rcproxy.proxy.reply;

/**
 * The RESP version a client speaks, kept on its session and handed to the reply builders.
 *
 * <p>TRACKING BRANCH: RESP3 is set by a minimal HELLO 3 (LocalCommands) so that tracking clients can get
 * push frames; the RESP3 branch owns the real protocol work and replaces that switch.
 */
public enum Protocol {
    RESP2,
    RESP3
}
