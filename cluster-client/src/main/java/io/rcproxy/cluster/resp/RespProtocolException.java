package io.rcproxy.cluster.resp;

/**
 * The bytes received are not valid RESP, or declare more than the {@link RespLimits} allow. The
 * message is worded like Redis's own protocol errors (for example {@code invalid bulk length}) so it
 * can follow {@code -ERR Protocol error: } in a reply.
 *
 * <p>Thrown on whichever thread parses; the stream it came from cannot be resynchronised and its
 * connection should be closed.
 */
public final class RespProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RespProtocolException(String message) {
        super(message);
    }

    public static RespProtocolException unexpectedByte(byte b) {
        return new RespProtocolException(b >= 0x20 && b < 0x7f
                ? "unexpected byte '" + (char) b + "'"
                : String.format("unexpected byte 0x%02x", b & 0xff));
    }
}
