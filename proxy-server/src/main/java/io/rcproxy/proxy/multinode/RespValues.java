package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.internal.resp.RespValueParser;
import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.proxy.reply.Replies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsed replies for the introspection merges (SLOWLOG, LATENCY, MEMORY STATS, ROLE): reading a node's reply
 * into {@link RespValue}s, the few accessors they need, and writing a value back as RESP2. These commands
 * are rare and their replies small, so values are built freely.
 *
 * <p>Stateless; the buffer written is new and the caller's.
 */
final class RespValues {

    private RespValues() {
    }

    static RespValue parse(ByteBuf reply) {
        return RespValueParser.parse(reply);
    }

    static List<RespValue> array(RespValue value) {
        if (value instanceof RespValue.ArrayReply array && !array.isNull()) {
            return array.elements();
        }
        throw new IllegalStateException("expected an array, got " + value);
    }

    static long integer(RespValue value) {
        if (value instanceof RespValue.IntegerReply n) {
            return n.value();
        }
        throw new IllegalStateException("expected an integer, got " + value);
    }

    static String text(RespValue value) {
        if (value instanceof RespValue.BulkString bulk) {
            return bulk.asString();
        }
        if (value instanceof RespValue.SimpleString simple) {
            return simple.value();
        }
        throw new IllegalStateException("expected a string, got " + value);
    }

    static RespValue.ArrayReply arrayOf(List<? extends RespValue> elements) {
        return new RespValue.ArrayReply(new ArrayList<>(elements));
    }

    static ByteBuf encode(ByteBufAllocator alloc, RespValue value) {
        ByteBuf out = alloc.buffer(256);
        write(out, value);
        return out;
    }

    private static void write(ByteBuf out, RespValue value) {
        if (value instanceof RespValue.IntegerReply n) {
            Replies.appendInteger(out, n.value());
        } else if (value instanceof RespValue.BulkString bulk) {
            if (bulk.isNull()) {
                out.writeBytes("$-1\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.writeByte('$').writeBytes(Integer.toString(bulk.bytes().length).getBytes(StandardCharsets.US_ASCII))
                        .writeBytes(CRLF).writeBytes(bulk.bytes()).writeBytes(CRLF);
            }
        } else if (value instanceof RespValue.SimpleString simple) {
            out.writeByte('+').writeBytes(simple.value().getBytes(StandardCharsets.UTF_8)).writeBytes(CRLF);
        } else if (value instanceof RespValue.ErrorReply error) {
            out.writeByte('-').writeBytes(error.message().getBytes(StandardCharsets.UTF_8)).writeBytes(CRLF);
        } else if (value instanceof RespValue.ArrayReply array) {
            if (array.isNull()) {
                out.writeBytes("*-1\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            Replies.arrayHeader(out, array.size());
            for (RespValue element : array.elements()) {
                write(out, element);
            }
        }
    }

    /**
     * {@code value} in RESP3 with every array written as a map of its element pairs (MEMORY STATS, LATENCY
     * HISTOGRAM: key/value lists at every level); with {@code doubles}, a value that is a decimal with a
     * fraction is written as a double ({@code ,1.5}), as Redis sends MEMORY STATS' ratios in RESP3.
     */
    static ByteBuf encodeAsMaps(ByteBufAllocator alloc, RespValue value, boolean doubles) {
        ByteBuf out = alloc.buffer(256);
        writeAsMaps(out, value, doubles, false);
        return out;
    }

    private static void writeAsMaps(ByteBuf out, RespValue value, boolean doubles, boolean isValue) {
        if (value instanceof RespValue.ArrayReply array && !array.isNull()) {
            if (array.size() % 2 != 0) {
                throw new IllegalStateException("a key/value list of odd length");
            }
            out.writeByte('%').writeBytes(Integer.toString(array.size() / 2).getBytes(StandardCharsets.US_ASCII))
                    .writeBytes(CRLF);
            for (int i = 0; i < array.size(); i++) {
                writeAsMaps(out, array.elements().get(i), doubles, i % 2 == 1);
            }
        } else if (doubles && isValue && value instanceof RespValue.BulkString bulk && !bulk.isNull()
                && isFraction(bulk.asString())) {
            out.writeByte(',').writeBytes(bulk.bytes()).writeBytes(CRLF);
        } else {
            write(out, value);
        }
    }

    private static boolean isFraction(String text) {
        if (text.indexOf('.') < 0) {
            return false;
        }
        try {
            Double.parseDouble(text);
            return true;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
}
