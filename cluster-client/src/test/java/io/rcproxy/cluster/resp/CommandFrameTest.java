package io.rcproxy.cluster.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.rcproxy.cluster.internal.resp.RespFrameScanner;
import io.rcproxy.cluster.internal.resp.RespValueParser;
import io.rcproxy.cluster.resp.RespValue.ArrayReply;
import io.rcproxy.cluster.resp.RespValue.BulkString;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CommandFrameTest {

    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    @Test
    void stringArgumentsBecomeAnArrayOfBulkStrings() {
        assertEquals("*2\r\n$7\r\nCLUSTER\r\n$6\r\nSHARDS\r\n",
                text(() -> CommandFrame.encode(ALLOC, "CLUSTER", "SHARDS")));
    }

    @Test
    void singleWordCommand() {
        assertEquals("*1\r\n$6\r\nASKING\r\n", text(() -> CommandFrame.encode(ALLOC, "ASKING")));
    }

    @Test
    void stringsAreEncodedAsUtf8AndLengthsCountBytes() {
        ByteBuf frame = CommandFrame.encode(ALLOC, "SET", "k", "h\u00e9\u20ac");
        try {
            assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\nh\u00e9\u20ac\r\n", frame.toString(UTF_8));
        } finally {
            frame.release();
        }
    }

    @Test
    void byteArgumentsAreBinarySafe() {
        byte[] value = {'\r', '\n', 0, (byte) 0xff};
        ByteBuf frame = CommandFrame.encode(ALLOC, "SET".getBytes(UTF_8), "k".getBytes(UTF_8), value, new byte[0]);
        try {
            assertEquals(ArrayReply.of(BulkString.of("SET"), BulkString.of("k"), new BulkString(value),
                    new BulkString(new byte[0])), RespValueParser.parse(frame));
        } finally {
            frame.release();
        }
    }

    @Test
    void bufferIsSizedExactly() {
        ByteBuf frame = CommandFrame.encode(ALLOC, "GET", "x".repeat(12345));
        try {
            assertEquals(frame.readableBytes(), frame.maxCapacity());
        } finally {
            frame.release();
        }
    }

    @Test
    void encodedFrameScansAsOneFrame() {
        String[] args = new String[11];
        for (int i = 0; i < args.length; i++) {
            args[i] = "arg" + i;
        }
        ByteBuf frame = CommandFrame.encode(ALLOC, args);
        try {
            assertEquals(frame.readableBytes(), new RespFrameScanner().scan(frame));
        } finally {
            frame.release();
        }
    }

    @Test
    void commandWithoutNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CommandFrame.encode(ALLOC, new String[0]));
        assertThrows(IllegalArgumentException.class, () -> CommandFrame.encode(ALLOC, new byte[0][]));
    }

    @Test
    void nullArgumentIsRefusedBeforeAllocating() {
        assertThrows(NullPointerException.class, () -> CommandFrame.encode(ALLOC, "GET", null));
    }

    private static String text(Supplier<ByteBuf> encoder) {
        ByteBuf frame = encoder.get();
        try {
            return frame.toString(ISO_8859_1);
        } finally {
            frame.release();
        }
    }
}
