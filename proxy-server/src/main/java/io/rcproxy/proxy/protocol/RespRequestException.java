package io.rcproxy.proxy.protocol;

import io.netty.handler.codec.DecoderException;

/**
 * A request that breaks the RESP protocol. The message is exactly the text Redis puts after
 * {@code -ERR Protocol error: }, so the frontend can reply with it verbatim and close the connection.
 *
 * <p>Thrown on the connection's event loop by {@link RespRequestDecoder}; carries no buffers.
 */
public final class RespRequestException extends DecoderException {

    private static final long serialVersionUID = 1L;

    public RespRequestException(String message) {
        super(message);
    }
}
