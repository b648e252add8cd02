package io.rcproxy.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal blocking RESP2 client for one TCP connection: commands are appended to a reusable buffer and
 * written with one {@link #flush()}; replies are read from a 64 KB buffer and skipped over, not turned
 * into objects, so the load generator spends its time on the socket and not on parsing. Only errors become
 * Strings.
 *
 * <p>Not thread-safe: one connection per worker thread.
 */
final class RespConnection implements Closeable {

    private static final int MAX_LINE = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] outBuf = new byte[8192];
    private int outLen;
    private final byte[] inBuf = new byte[64 * 1024];
    private int inPos;
    private int inLimit;
    private long lastBulkLength;

    RespConnection(String host, int port, int timeoutMillis) throws IOException {
        socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Appends one command as a multibulk frame; nothing is sent until {@link #flush()}. */
    void append(byte[]... args) {
        appendHeader('*', args.length);
        for (byte[] arg : args) {
            appendHeader('$', arg.length);
            ensure(arg.length + 2);
            System.arraycopy(arg, 0, outBuf, outLen, arg.length);
            outLen += arg.length;
            outBuf[outLen++] = '\r';
            outBuf[outLen++] = '\n';
        }
    }

    void flush() throws IOException {
        out.write(outBuf, 0, outLen);
        out.flush();
        outLen = 0;
    }

    /**
     * Reads one whole reply. Returns null when it is not an error (an error inside an array counts), or
     * the error line without its '-'.
     */
    String readReply() throws IOException {
        byte type = readByte();
        switch (type) {
            case '+', ':' -> {
                skipLine();
                return null;
            }
            case '-' -> {
                return readLine();
            }
            case '$' -> {
                long length = readNumber();
                lastBulkLength = length;
                if (length >= 0) {
                    skip(length + 2);
                }
                return null;
            }
            case '*' -> {
                long count = readNumber();
                String error = null;
                for (long i = 0; i < count; i++) {
                    String e = readReply();
                    if (error == null) {
                        error = e;
                    }
                }
                return error;
            }
            default -> throw new IOException("not a RESP reply: byte " + (type & 0xff));
        }
    }

    /** Length of the last bulk string read, -1 for a nil. */
    long lastBulkLength() {
        return lastBulkLength;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void appendHeader(char type, int n) {
        ensure(16);
        outBuf[outLen++] = (byte) type;
        String digits = Integer.toString(n);
        for (int i = 0; i < digits.length(); i++) {
            outBuf[outLen++] = (byte) digits.charAt(i);
        }
        outBuf[outLen++] = '\r';
        outBuf[outLen++] = '\n';
    }

    private void ensure(int more) {
        if (outLen + more > outBuf.length) {
            outBuf = Arrays.copyOf(outBuf, Math.max(outBuf.length * 2, outLen + more));
        }
    }

    private byte readByte() throws IOException {
        if (inPos == inLimit) {
            fill();
        }
        return inBuf[inPos++];
    }

    private void fill() throws IOException {
        int n = in.read(inBuf, 0, inBuf.length);
        if (n < 0) {
            throw new EOFException("connection closed by " + socket.getRemoteSocketAddress());
        }
        inPos = 0;
        inLimit = n;
    }

    private long readNumber() throws IOException {
        boolean negative = false;
        long value = 0;
        int read = 0;
        while (true) {
            byte b = readByte();
            if (b == '\r') {
                if (readByte() != '\n') {
                    throw new IOException("line not terminated by CRLF");
                }
                return negative ? -value : value;
            }
            if (b == '-' && read == 0) {
                negative = true;
            } else if (b >= '0' && b <= '9' && read < 19) {
                value = value * 10 + (b - '0');
            } else {
                throw new IOException("invalid number in reply header");
            }
            read++;
        }
    }

    private void skipLine() throws IOException {
        for (int n = 0; n < MAX_LINE; n++) {
            if (readByte() == '\n') {
                return;
            }
        }
        throw new IOException("reply line longer than " + MAX_LINE);
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int n = 0; n < MAX_LINE; n++) {
            byte b = readByte();
            if (b == '\n') {
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
                return new String(line.substring(0, end).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
            line.append((char) (b & 0xff));
        }
        throw new IOException("reply line longer than " + MAX_LINE);
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (inPos == inLimit) {
                fill();
            }
            int step = (int) Math.min(n, inLimit - inPos);
            inPos += step;
            n -= step;
        }
    }
}
