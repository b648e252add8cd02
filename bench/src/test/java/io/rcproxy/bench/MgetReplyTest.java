package io.rcproxy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MgetReplyTest {

    private final KeySpace keys = new KeySpace(100, 16, 40);

    private ByteBuf reply(int... values) {
        ByteBuf out = Unpooled.buffer();
        out.writeCharSequence("*" + values.length + "\r\n", StandardCharsets.US_ASCII);
        for (int v : values) {
            if (v < 0) {
                out.writeCharSequence("$-1\r\n", StandardCharsets.US_ASCII);
            } else {
                byte[] value = keys.value(v);
                out.writeCharSequence("$" + value.length + "\r\n", StandardCharsets.US_ASCII);
                out.writeBytes(value).writeByte('\r').writeByte('\n');
            }
        }
        return out;
    }

    @Test
    void theValuesOfTheKeysInOrderAreRight() {
        ByteBuf frame = reply(5, 7, 9);
        try {
            assertNull(MgetReply.check(frame, keys, new int[] {5, 7, 9}, 0, 3));
            assertEquals(0, frame.readerIndex(), "the frame is read in place");
        } finally {
            frame.release();
        }
    }

    @Test
    void valuesOutOfOrderANilOrAWrongCountAreErrors() {
        ByteBuf swapped = reply(7, 5, 9);
        ByteBuf nil = reply(5, -1, 9);
        ByteBuf shortReply = reply(5, 7);
        try {
            assertTrue(MgetReply.check(swapped, keys, new int[] {5, 7, 9}, 0, 3).contains("not the value of key 5"));
            assertTrue(MgetReply.check(nil, keys, new int[] {5, 7, 9}, 0, 3).contains("nil for key 7"));
            assertTrue(MgetReply.check(shortReply, keys, new int[] {5, 7, 9}, 0, 3).contains("2 values for 3 keys"));
        } finally {
            swapped.release();
            nil.release();
            shortReply.release();
        }
    }

    @Test
    void onePartOfASplitMgetIsCheckedAgainstItsOwnKey() {
        ByteBuf part = reply(9);
        try {
            assertNull(MgetReply.check(part, keys, new int[] {5, 7, 9}, 2, 1));
            assertTrue(MgetReply.check(part, keys, new int[] {5, 7, 9}, 1, 1).contains("key 7"));
        } finally {
            part.release();
        }
    }

    @Test
    void aResp3NullAndAnErrorAreNotValues() {
        ByteBuf resp3 = Unpooled.copiedBuffer("*1\r\n_\r\n", StandardCharsets.US_ASCII);
        ByteBuf error = Unpooled.copiedBuffer("-ERR x\r\n", StandardCharsets.US_ASCII);
        try {
            assertTrue(MgetReply.check(resp3, keys, new int[] {1}, 0, 1).contains("nil"));
            assertTrue(MgetReply.check(error, keys, new int[] {1}, 0, 1).contains("expected an array"));
        } finally {
            resp3.release();
            error.release();
        }
    }

    @Test
    void aDecodedValueMatchesOnlyItsOwnKey() {
        assertTrue(MgetReply.matches(keys.value(3), keys, 3));
        assertFalse(MgetReply.matches(keys.value(4), keys, 3));
        assertFalse(MgetReply.matches(null, keys, 3));
        assertFalse(MgetReply.matches(new byte[3], keys, 3));
    }
}
