package io.rcproxy.proxy.pinned;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rcproxy.proxy.reply.Protocol;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Telling messages from confirmations in both protocols, and fitting a frame to the client's protocol. */
class PushFramesTest {

    private static void with(String text, Consumer<ByteBuf> check) {
        ByteBuf frame = Unpooled.copiedBuffer(text, ISO_8859_1);
        try {
            check.accept(frame);
        } finally {
            frame.release();
        }
    }

    @Test
    void messagesAreArraysInRespTwoAndPushesInRespThree() {
        with("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f -> assertTrue(PushFrames.isMessage(f)));
        with(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f -> assertTrue(PushFrames.isMessage(f)));
        with(">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$2\r\nhi\r\n", f -> assertTrue(PushFrames.isMessage(f)));
        with(">3\r\n$8\r\nsmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f -> assertTrue(PushFrames.isMessage(f)));
        with(">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n", f -> assertFalse(PushFrames.isMessage(f)));
        with("%1\r\n$7\r\nmessage\r\n$2\r\nch\r\n", f -> assertFalse(PushFrames.isMessage(f)));
    }

    @Test
    void aFrameTakesTheTypeByteOfTheClientsProtocolAndNothingElseChanges() {
        with(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f -> {
            PushFrames.fit(f, Protocol.RESP2);
            assertEquals("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f.toString(ISO_8859_1));
            PushFrames.fit(f, Protocol.RESP2);
            assertEquals("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f.toString(ISO_8859_1));
            PushFrames.fit(f, Protocol.RESP3);
            assertEquals(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", f.toString(ISO_8859_1));
        });
        with("-MOVED 1 127.0.0.1:7000\r\n", f -> {
            PushFrames.fit(f, Protocol.RESP3);
            assertEquals("-MOVED 1 127.0.0.1:7000\r\n", f.toString(ISO_8859_1));
        });
    }
}
