package io.rcproxy.proxy.tracking;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A test connection that returns each reply as the exact bytes the server sent (one RESP2 or RESP3 frame,
 * pushes included), so replies can be compared with what a standalone redis-server sends.
 */
final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    RawConnection(int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            in = new java.io.BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a command and returns its reply's bytes as text. */
    String call(String... args) {
        send(args);
        return read();
    }

    void send(String... args) {
        StringBuilder out = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            out.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                    .append(arg).append("\r\n");
        }
        try {
            socket.getOutputStream().write(out.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame. */
    String read() {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        try {
            readFrame(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return frame.toString(StandardCharsets.UTF_8);
    }

    /** The next frame, or null when none arrives within {@code millis}. */
    String poll(int millis) {
        try {
            socket.setSoTimeout(millis);
            in.mark(1);
            int first = in.read();
            if (first < 0) {
                return null;
            }
            in.reset();
            socket.setSoTimeout(10_000);
            return read();
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                socket.setSoTimeout(10_000);
            } catch (IOException ignored) {
                // closed
            }
        }
    }

    /** The client id, from CLIENT ID. */
    long id() {
        String reply = call("CLIENT", "ID");
        return Long.parseLong(reply.substring(1).trim());
    }

    private void readFrame(ByteArrayOutputStream frame) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed");
        }
        frame.write(type);
        String line = readLine(frame);
        switch (type) {
            case '$', '=', '!' -> {
                int length = Integer.parseInt(line);
                if (length >= 0) {
                    frame.write(in.readNBytes(length + 2));
                }
            }
            case '*', '>', '~' -> {
                int count = Integer.parseInt(line);
                for (int i = 0; i < count; i++) {
                    readFrame(frame);
                }
            }
            case '%', '|' -> {
                int count = Integer.parseInt(line);
                for (int i = 0; i < 2 * count; i++) {
                    readFrame(frame);
                }
                if (type == '|') {
                    readFrame(frame);
                }
            }
            default -> { }
        }
    }

    private String readLine(ByteArrayOutputStream frame) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            line.append((char) b);
            frame.write(b);
        }
        frame.write('\r');
        frame.write(in.read());
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
