package io.rcproxy.proxy.reply;

/**
 * The RESP version a client speaks, kept on its session and handed to the reply builders. Only RESP2
 * exists for now; RESP3 (HELLO 3) adds a constant here and the builders start to look at it.
 */
public enum Protocol {
    RESP2
}
