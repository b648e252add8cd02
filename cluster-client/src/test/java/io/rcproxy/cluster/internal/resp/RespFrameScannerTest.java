package io.rcproxy.cluster.internal.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rcproxy.cluster.resp.RespLimits;
import io.rcproxy.cluster.resp.RespProtocolException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RespFrameScannerTest {

    @Test
    void returnsFrameLengthAndLeavesIndicesAlone() {
        ByteBuf in = ascii("xx:1\r\n+OK\r\n");
        try {
            in.readerIndex(2);
            RespFrameScanner scanner = new RespFrameScanner();
            assertEquals(4, scanner.scan(in));
            assertEquals(2, in.readerIndex());
            in.skipBytes(4);
            assertEquals(5, scanner.scan(in));
        } finally {
            in.release();
        }
    }

    @Test
    void progressSurvivesReadBytesBeingDiscarded() {
        ByteBuf in = Unpooled.buffer();
        try {
            RespFrameScanner scanner = new RespFrameScanner();
            in.writeCharSequence("+OK\r\n*2\r\n$3\r\nfoo", ISO_8859_1);
            assertEquals(5, scanner.scan(in));
            in.skipBytes(5);
            assertEquals(-1, scanner.scan(in));
            in.discardReadBytes();
            in.writeCharSequence("\r\n:7\r\n", ISO_8859_1);
            assertEquals(17, scanner.scan(in));
        } finally {
            in.release();
        }
    }

    @Test
    void largeArrayFedInSmallPiecesIsScannedInLinearTime() {
        int elements = 200_000;
        StringBuilder frame = new StringBuilder("*").append(elements).append("\r\n");
        for (int i = 0; i < elements; i++) {
            frame.append("$5\r\nvalue\r\n");
        }
        byte[] bytes = frame.toString().getBytes(ISO_8859_1);
        ByteBuf in = Unpooled.buffer(bytes.length);
        try {
            RespFrameScanner scanner = new RespFrameScanner();
            // Rescanning from the start on each piece would take minutes at this size.
            int length = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                int result = -1;
                for (int off = 0; off < bytes.length; off += 7) {
                    in.writeBytes(bytes, off, Math.min(7, bytes.length - off));
                    result = scanner.scan(in);
                }
                return result;
            });
            assertEquals(bytes.length, length);
        } finally {
            in.release();
        }
    }

    @Test
    void longSimpleLineFedOneByteAtATimeIsAccepted() {
        int contentLength = RespFrameScanner.MAX_LINE_LENGTH - 3;
        ByteBuf in = Unpooled.buffer();
        try {
            RespFrameScanner scanner = new RespFrameScanner();
            in.writeByte('+');
            for (int i = 0; i < contentLength; i++) {
                in.writeByte('a');
                assertEquals(-1, scanner.scan(in));
            }
            in.writeByte('\r');
            assertEquals(-1, scanner.scan(in));
            in.writeByte('\n');
            assertEquals(RespFrameScanner.MAX_LINE_LENGTH, scanner.scan(in));
        } finally {
            in.release();
        }
    }

    @Test
    void unterminatedLineIsRejectedOnceItExceedsTheLineLimit() {
        ByteBuf in = Unpooled.buffer();
        try {
            RespFrameScanner scanner = new RespFrameScanner();
            in.writeByte('-');
            in.writeZero(RespFrameScanner.MAX_LINE_LENGTH - 2);
            assertEquals(-1, scanner.scan(in));
            in.writeByte('x');
            RespProtocolException e = assertThrows(RespProtocolException.class, () -> scanner.scan(in));
            assertEquals("too big line", e.getMessage());
        } finally {
            in.release();
        }
    }

    @Test
    void unterminatedLengthHeaderIsRejectedAtTheLineLimit() {
        ByteBuf in = Unpooled.buffer();
        try {
            in.writeByte('$');
            for (int i = 0; i < RespFrameScanner.MAX_LINE_LENGTH; i++) {
                in.writeByte('0');
            }
            assertThrows(RespProtocolException.class, () -> new RespFrameScanner().scan(in));
        } finally {
            in.release();
        }
    }

    @Test
    void lengthThatOverflowsALongIsRejected() {
        ByteBuf in = ascii("$99999999999999999999\r\n");
        try {
            RespProtocolException e = assertThrows(RespProtocolException.class, () -> new RespFrameScanner().scan(in));
            assertEquals("invalid bulk length", e.getMessage());
        } finally {
            in.release();
        }
    }

    @Test
    void deeplyNestedArraysNeedNoStack() {
        int depth = 100_000;
        ByteBuf in = Unpooled.buffer();
        try {
            for (int i = 0; i < depth; i++) {
                in.writeCharSequence("*1\r\n", ISO_8859_1);
            }
            in.writeCharSequence(":1\r\n", ISO_8859_1);
            assertEquals(depth * 4 + 4, new RespFrameScanner().scan(in));
        } finally {
            in.release();
        }
    }

    @Test
    void resetForgetsAPartialFrame() {
        ByteBuf partial = ascii("*2\r\n:1\r\n");
        ByteBuf whole = ascii(":5\r\n");
        try {
            RespFrameScanner scanner = new RespFrameScanner();
            assertEquals(-1, scanner.scan(partial));
            scanner.reset();
            assertEquals(4, scanner.scan(whole));
        } finally {
            partial.release();
            whole.release();
        }
    }

    @Test
    void largeBulkIsAnnouncedBeforeItsBodyIsNeeded() {
        ByteBuf in = ascii("*2\r\n$3\r\nabc\r\n$12\r\n");
        try {
            RespFrameScanner scanner = new RespFrameScanner(RespLimits.DEFAULT, 10);
            assertEquals(-1, scanner.scan(in));
            assertEquals(12, scanner.takeAnnouncedBulk());
            assertEquals(-1, scanner.takeAnnouncedBulk(), "taken once");
            assertEquals(-1, scanner.scan(in));
            assertEquals(-1, scanner.takeAnnouncedBulk(), "announced once, not on every scan");
            in.writeCharSequence("0123456789ab\r\n", ISO_8859_1);
            assertEquals(in.readableBytes(), scanner.scan(in));
        } finally {
            in.release();
        }
    }

    /** A refused reply is skipped as it arrives; the next reply is found where it starts, at every split. */
    @Test
    void skippedFrameEndsWhereItWouldHaveEndedAtEverySplit() {
        String refused = "*3\r\n$5\r\nhello\r\n$20\r\n" + "x".repeat(20) + "\r\n:1\r\n";
        String input = refused + "+OK\r\n";
        for (int split = 0; split <= input.length(); split++) {
            for (int second = split; second <= input.length(); second += 5) {
                ByteBuf in = Unpooled.buffer();
                try {
                    RespFrameScanner scanner = new RespFrameScanner(RespLimits.DEFAULT, 10);
                    boolean skipping = false;
                    int skippedTail = -1;
                    String[] pieces = {input.substring(0, split), input.substring(split, second), input.substring(second)};
                    for (String piece : pieces) {
                        in.writeCharSequence(piece, ISO_8859_1);
                        for (;;) {
                            int length = scanner.scan(in);
                            if (length >= 0 && skippedTail < 0) {
                                assertTrue(skipping, "split " + split + "/" + second);
                                in.skipBytes(length);
                                skippedTail = length;
                                continue;
                            }
                            if (length >= 0) {
                                assertEquals("+OK\r\n", in.toString(in.readerIndex(), length, ISO_8859_1));
                                in.skipBytes(length);
                                continue;
                            }
                            if (scanner.takeAnnouncedBulk() == 20) {
                                skipping = true; // refused: drop what was scanned and scan on
                                scanner.skipScanned(in);
                                continue;
                            }
                            if (skipping && skippedTail < 0) {
                                scanner.skipScanned(in); // drop what arrived; wait for more
                            }
                            break;
                        }
                    }
                    assertTrue(skippedTail >= 0, "the refused frame ended, split " + split + "/" + second);
                    assertEquals(0, in.readableBytes(), "everything consumed, split " + split + "/" + second);
                } finally {
                    in.release();
                }
            }
        }
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, ISO_8859_1);
    }
}
