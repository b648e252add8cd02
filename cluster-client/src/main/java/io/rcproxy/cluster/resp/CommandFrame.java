package io.rcproxy.cluster.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Encodes a command the way clients send it: a RESP2 array of bulk strings,
 * {@code *<n>\r\n$<len>\r\n<arg>\r\n...}. Used for the commands the proxy issues itself
 * ({@code ASKING}, {@code CLUSTER SHARDS}, {@code READONLY}, library calls); forwarded client
 * commands are never re-encoded.
 *
 * <p>Stateless; any thread. The returned buffer is sized exactly (its capacity is capped, so a
 * miscounted size fails loudly instead of reallocating) and belongs to the caller, who
 * writes it (passing ownership on) or releases it.
 */
public final class CommandFrame {

    private static final int CRLF = 2;

    private CommandFrame() {
    }

    /** Encodes {@code args} (the command name first) as UTF-8 bulk strings. */
    public static ByteBuf encode(ByteBufAllocator alloc, String... args) {
        requireName(args.length);
        int size = 1 + RespDecimal.digits(args.length) + CRLF;
        for (String arg : args) {
            size += bulkSize(ByteBufUtil.utf8Bytes(arg));
        }
        ByteBuf out = alloc.buffer(size, size);
        writeCount(out, args.length);
        for (String arg : args) {
            int length = ByteBufUtil.utf8Bytes(arg);
            out.writeByte('$');
            RespDecimal.write(out, length);
            writeCrlf(out);
            // writeUtf8 would reserve the worst case, three bytes a char, and overrun the exact size.
            ByteBufUtil.reserveAndWriteUtf8(out, arg, length);
            writeCrlf(out);
        }
        return out;
    }

    /** Encodes {@code args} (the command name first) as binary-safe bulk strings. */
    public static ByteBuf encode(ByteBufAllocator alloc, byte[]... args) {
        requireName(args.length);
        int size = 1 + RespDecimal.digits(args.length) + CRLF;
        for (byte[] arg : args) {
            size += bulkSize(arg.length);
        }
        ByteBuf out = alloc.buffer(size, size);
        writeCount(out, args.length);
        for (byte[] arg : args) {
            out.writeByte('$');
            RespDecimal.write(out, arg.length);
            writeCrlf(out);
            out.writeBytes(arg);
            writeCrlf(out);
        }
        return out;
    }

    private static void requireName(int argc) {
        if (argc == 0) {
            throw new IllegalArgumentException("a command needs at least its name");
        }
    }

    private static int bulkSize(int length) {
        return 1 + RespDecimal.digits(length) + CRLF + length + CRLF;
    }

    private static void writeCount(ByteBuf out, int count) {
        out.writeByte('*');
        RespDecimal.write(out, count);
        writeCrlf(out);
    }

    private static void writeCrlf(ByteBuf out) {
        out.writeShort(('\r' << 8) | '\n');
    }
}
