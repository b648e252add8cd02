package io.rcproxy.cluster.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RespDecimalTest {

    @ParameterizedTest
    @CsvSource({"0,0", "7,7", "-7,-7", "1234567890,1234567890", "9223372036854775807,9223372036854775807",
            "-9223372036854775807,-9223372036854775807"})
    void parseReadsWhatRedisAccepts(String text, long expected) {
        assertEquals(expected, parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "01", "-0", "+1", " 1", "1 ", "1a", "9223372036854775808",
            "-9223372036854775808", "123456789012345678901"})
    void parseRefusesWhatRedisRefuses(String text) {
        assertEquals(RespDecimal.INVALID, parse(text));
    }

    @ParameterizedTest
    @CsvSource({"42,42", "-1,-1", "007,7", "-0,0", "-9223372036854775808,-9223372036854775808",
            "9223372036854775807,9223372036854775807"})
    void readTakesAnyLongAReplyHeaderCarries(String text, long expected) {
        ByteBuf buf = ascii("x" + text + "\r\n");
        try {
            assertEquals(expected, RespDecimal.read(buf, 1, 1 + text.length(), "bad"));
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", "1a", "9223372036854775808", "-9223372036854775809"})
    void readThrowsTheCallersMessageOnAnythingElse(String text) {
        ByteBuf buf = ascii("x" + text + "\r\n");
        try {
            RespProtocolException e = assertThrows(RespProtocolException.class,
                    () -> RespDecimal.read(buf, 1, 1 + text.length(), "invalid bulk length"));
            assertEquals("invalid bulk length", e.getMessage());
        } finally {
            buf.release();
        }
    }

    private static long parse(String text) {
        ByteBuf buf = ascii("$" + text + "\r\n");
        try {
            return RespDecimal.parse(buf, 1, text.length());
        } finally {
            buf.release();
        }
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
