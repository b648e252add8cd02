package io.rcproxy.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Appends RESP2 multibulk commands to a buffer; the load generator's encoder. Stateless. */
final class RespWriter {

    private RespWriter() {
    }

    static void command(ByteBuf out, byte[]... args) {
        header(out, '*', args.length);
        for (byte[] arg : args) {
            header(out, '$', arg.length);
            out.writeBytes(arg);
            out.writeByte('\r').writeByte('\n');
        }
    }

    private static void header(ByteBuf out, char type, int n) {
        out.writeByte(type);
        out.writeCharSequence(Integer.toString(n), StandardCharsets.US_ASCII);
        out.writeByte('\r').writeByte('\n');
    }
}
