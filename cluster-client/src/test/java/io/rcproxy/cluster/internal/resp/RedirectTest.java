package io.rcproxy.cluster.internal.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rcproxy.cluster.resp.RedirectKind;
import io.rcproxy.cluster.resp.RespProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectTest {

    @Test
    void movedWithIpv4Address() {
        assertEquals(new Redirect(RedirectKind.MOVED, 3999, "127.0.0.1", 6381),
                parse("-MOVED 3999 127.0.0.1:6381\r\n"));
    }

    @Test
    void askWithIpv4Address() {
        assertEquals(new Redirect(RedirectKind.ASK, 0, "10.0.0.7", 7000), parse("-ASK 0 10.0.0.7:7000\r\n"));
    }

    @Test
    void ipv6HostIsSplitAtTheLastColon() {
        assertEquals(new Redirect(RedirectKind.MOVED, 16383, "::1", 6380), parse("-MOVED 16383 ::1:6380\r\n"));
        assertEquals(new Redirect(RedirectKind.ASK, 12, "fe80::1:2", 7001), parse("-ASK 12 fe80::1:2:7001\r\n"));
    }

    @Test
    void hostnameIsKept() {
        assertEquals("redis-2.cluster.local", parse("-MOVED 1 redis-2.cluster.local:6379\r\n").host());
    }

    @Test
    void emptyHostMeansUnknownEndpoint() {
        Redirect redirect = parse("-MOVED 3999 :6380\r\n");
        assertEquals(new Redirect(RedirectKind.MOVED, 3999, "", 6380), redirect);
        assertTrue(redirect.hostUnknown());
    }

    @Test
    void frameWithoutCrlfParsesToo() {
        assertEquals(new Redirect(RedirectKind.ASK, 5, "h", 1), parse("-ASK 5 h:1"));
    }

    @Test
    void parsingLeavesTheBufferAlone() {
        ByteBuf frame = Unpooled.copiedBuffer("xx-MOVED 1 h:2\r\n", ISO_8859_1);
        try {
            frame.readerIndex(2);
            assertEquals(new Redirect(RedirectKind.MOVED, 1, "h", 2), Redirect.parse(frame));
            assertEquals(2, frame.readerIndex());
        } finally {
            frame.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "-MOVED 3999\r\n", "-MOVED x 127.0.0.1:6381\r\n", "-MOVED 16384 h:1\r\n", "-MOVED 1 h\r\n",
        "-MOVED 1 h:\r\n", "-MOVED 1 h:65536\r\n", "-ASK -1 h:1\r\n", "-MOVED\r\n",
    })
    void malformedRedirectIsAProtocolError(String frame) {
        assertThrows(RespProtocolException.class, () -> parse(frame));
    }

    @Test
    void nonRedirectCannotBeParsed() {
        assertThrows(IllegalArgumentException.class, () -> parse("-TRYAGAIN Multiple keys request during rehashing of slot\r\n"));
        assertThrows(IllegalArgumentException.class, () -> parse("+OK\r\n"));
    }

    @Test
    void kindOfEachClusterError() {
        assertEquals(RedirectKind.MOVED, kind("-MOVED 3999 127.0.0.1:6381\r\n"));
        assertEquals(RedirectKind.ASK, kind("-ASK 3999 127.0.0.1:6381\r\n"));
        assertEquals(RedirectKind.TRYAGAIN, kind("-TRYAGAIN Multiple keys request during rehashing of slot\r\n"));
        assertEquals(RedirectKind.CLUSTERDOWN, kind("-CLUSTERDOWN The cluster is down\r\n"));
        assertEquals(RedirectKind.CLUSTERDOWN, kind("-CLUSTERDOWN\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "-ERR unknown command\r\n", "-CROSSSLOT Keys in request don't hash to the same slot\r\n",
        "-MOVEDX 1 h:1\r\n", "-ASKING\r\n", "-TRYAGAINLATER\r\n", "-MOVED", "-", "", "+MOVED 1 h:1\r\n",
        "$6\r\n-MOVED\r\n", ":1\r\n", "*1\r\n-ASK 1 h:1\r\n",
    })
    void everythingElseIsNotARedirect(String frame) {
        assertEquals(RedirectKind.NONE, kind(frame));
    }

    @Test
    void kindLooksFromTheReaderIndex() {
        ByteBuf frame = Unpooled.copiedBuffer("+OK\r\n-ASK 1 h:1\r\n", ISO_8859_1);
        try {
            assertEquals(RedirectKind.NONE, RedirectKind.of(frame));
            frame.readerIndex(5);
            assertEquals(RedirectKind.ASK, RedirectKind.of(frame));
            assertEquals(5, frame.readerIndex());
        } finally {
            frame.release();
        }
    }

    private static Redirect parse(String frame) {
        ByteBuf buf = Unpooled.copiedBuffer(frame, ISO_8859_1);
        try {
            return Redirect.parse(buf);
        } finally {
            buf.release();
        }
    }

    private static RedirectKind kind(String frame) {
        ByteBuf buf = Unpooled.copiedBuffer(frame, ISO_8859_1);
        try {
            return RedirectKind.of(buf);
        } finally {
            buf.release();
        }
    }
}
