package io.rcproxy.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rcproxy.cluster.internal.resp.RespFrameScanner;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A socket that sends commands and reads back the exact bytes of each reply frame, whatever its RESP
 * version: framed by the proxy's own scanner, never parsed, so a test can compare bytes with Redis's.
 */
final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuf buffer = Unpooled.buffer();
    private final RespFrameScanner scanner = new RespFrameScanner();

    RawConnection(int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(String... args) {
        try {
            out.write(RedisTestConnection.command(args));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one command and returns its reply's bytes as ISO-8859-1 text (one char per byte). */
    String call(String... args) {
        send(args);
        return read();
    }

    /** The next frame's bytes as ISO-8859-1 text. */
    String read() {
        byte[] chunk = new byte[8192];
        try {
            while (true) {
                int length = scanner.scan(buffer);
                if (length >= 0) {
                    String frame = buffer.toString(buffer.readerIndex(), length, StandardCharsets.ISO_8859_1);
                    buffer.skipBytes(length);
                    buffer.discardReadBytes();
                    return frame;
                }
                int n = in.read(chunk);
                if (n < 0) {
                    throw new IllegalStateException("connection closed by the peer");
                }
                buffer.writeBytes(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        buffer.release();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
