package io.rcproxy.cluster.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny blocking RESP2 client over a plain {@link Socket}, for fixture set-up and for tests
 * that check what a server (or our proxy) really sends back.
 *
 * <p>Replies become plain Java values: simple string as {@link String}, error as
 * {@link RedisErrorReply}, integer as {@link Long}, bulk string as {@code byte[]} (null bulk as
 * {@code null}), array as {@code List<Object>} (null array as {@code null}).
 *
 * <p>Deliberately independent of Netty and of our own RESP code, so a bug there cannot hide
 * itself in the tests. Every read has a timeout so a missing reply fails the test instead of
 * hanging it. One thread at a time; not thread-safe.
 */
public final class RedisTestConnection implements AutoCloseable {

    /** How long a read waits before the test fails; generous for a loaded 2-core CI box. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

    private static final byte[] CRLF = {'\r', '\n'};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RedisTestConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /**
     * Speaks RESP over a socket the caller connected (a TLS socket, say); the connection closes it. Reads
     * time out after {@link #DEFAULT_READ_TIMEOUT}.
     */
    public static RedisTestConnection over(Socket connected) {
        try {
            connected.setSoTimeout(Math.toIntExact(DEFAULT_READ_TIMEOUT.toMillis()));
            return new RedisTestConnection(connected);
        } catch (IOException e) {
            closeQuietly(connected);
            throw new UncheckedIOException("cannot use " + connected, e);
        }
    }

    /** Connects to {@code host:port} with {@link #DEFAULT_READ_TIMEOUT}. */
    public static RedisTestConnection open(String host, int port) {
        return open(host, port, DEFAULT_READ_TIMEOUT);
    }

    /** Connects to {@code host:port}; a read that waits longer than {@code readTimeout} fails. */
    public static RedisTestConnection open(String host, int port, Duration readTimeout) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
            socket.connect(new InetSocketAddress(host, port), Math.toIntExact(readTimeout.toMillis()));
            return new RedisTestConnection(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
    }

    /** Sends one command and returns its reply; an error reply throws {@link RedisTestException}. */
    public Object call(String... args) {
        return throwIfError(callRaw(args));
    }

    /** Binary-safe form of {@link #call(String...)}. */
    public Object call(byte[]... args) {
        return throwIfError(callRaw(args));
    }

    /** Sends one command and returns its reply; an error reply comes back as {@link RedisErrorReply}. */
    public Object callRaw(String... args) {
        sendRaw(command(args));
        return readReply();
    }

    /** Binary-safe form of {@link #callRaw(String...)}. */
    public Object callRaw(byte[]... args) {
        sendRaw(command(args));
        return readReply();
    }

    /**
     * Sends one command and returns its reply as text: simple and bulk strings as UTF-8, integers
     * in decimal. For the many fixture calls whose answer is text ({@code INFO}, {@code CLUSTER MYID}).
     */
    public String callText(String... args) {
        Object reply = call(args);
        if (reply instanceof byte[] bulk) {
            return new String(bulk, StandardCharsets.UTF_8);
        }
        return reply == null ? null : reply.toString();
    }

    /** Writes bytes as they are and flushes; pair with {@link #readReply()} to pipeline. */
    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("write to " + socket.getRemoteSocketAddress() + " failed", e);
        }
    }

    /** Reads the next reply in order; errors come back as {@link RedisErrorReply}. */
    public Object readReply() {
        try {
            return readValue();
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("no reply from " + socket.getRemoteSocketAddress()
                    + " within " + readTimeoutText(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("read from " + socket.getRemoteSocketAddress() + " failed", e);
        }
    }

    /** Whether the server has closed the connection (reads EOF within the read timeout). */
    public boolean isClosedByPeer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** The RESP2 encoding of a command, for tests that build raw pipelines. */
    public static byte[] command(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return command(bytes);
    }

    /** Binary-safe form of {@link #command(String...)}. */
    public static byte[] command(byte[]... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        writeHeader(buf, '*', args.length);
        for (byte[] arg : args) {
            writeHeader(buf, '$', arg.length);
            buf.writeBytes(arg);
            buf.writeBytes(CRLF);
        }
        return buf.toByteArray();
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static Object throwIfError(Object reply) {
        if (reply instanceof RedisErrorReply error) {
            throw new RedisTestException(error);
        }
        return reply;
    }

    private String readTimeoutText() {
        try {
            return socket.getSoTimeout() + " ms";
        } catch (IOException e) {
            return "the read timeout";
        }
    }

    private Object readValue() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by " + socket.getRemoteSocketAddress());
        }
        switch (type) {
            case '+':
                return readLine();
            case '-':
                return new RedisErrorReply(readLine());
            case ':':
                return Long.parseLong(readLine());
            case '$':
                return readBulk();
            case '*':
                return readArray();
            default:
                throw new IOException("not a RESP2 type byte: 0x" + Integer.toHexString(type));
        }
    }

    private byte[] readBulk() throws IOException {
        int length = Integer.parseInt(readLine());
        if (length < 0) {
            return null;
        }
        byte[] data = in.readNBytes(length);
        if (data.length < length || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("bulk string of " + length + " bytes cut short");
        }
        return data;
    }

    private List<Object> readArray() throws IOException {
        int count = Integer.parseInt(readLine());
        if (count < 0) {
            return null;
        }
        // The peer is a server under test, so the count is only a capacity hint, capped.
        List<Object> items = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            items.add(readValue());
        }
        return items;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(32);
        for (;;) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a reply line");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("CR not followed by LF");
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    private static void writeHeader(ByteArrayOutputStream buf, char type, int n) {
        buf.write(type);
        buf.writeBytes(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        buf.writeBytes(CRLF);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is best effort: the test is already done with this socket.
        }
    }
}
