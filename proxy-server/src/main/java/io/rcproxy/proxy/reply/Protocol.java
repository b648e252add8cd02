package io.rcproxy.proxy.reply;

/**
 * The RESP version a client speaks, kept on its session (set by HELLO, back to RESP2 on RESET) and handed
 * to the reply builders. Forwarded replies need no translation: a RESP3 client's commands travel on
 * backend connections that speak RESP3 too ({@link #resp3()} picks them), so Redis's bytes fit as they are.
 */
public enum Protocol {
    RESP2(2),
    RESP3(3);

    private final int version;

    Protocol(int version) {
        this.version = version;
    }

    /** 2 or 3, as HELLO and CLIENT LIST's {@code resp=} say it. */
    public int version() {
        return version;
    }

    public boolean resp3() {
        return this == RESP3;
    }

    /** The protocol HELLO {@code version} asks for, or null when the proxy does not speak it (NOPROTO). */
    public static Protocol of(long version) {
        return version == 2 ? RESP2 : version == 3 ? RESP3 : null;
    }
}
