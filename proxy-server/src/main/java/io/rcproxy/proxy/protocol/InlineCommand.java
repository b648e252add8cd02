package io.rcproxy.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one inline command line (what a person types in telnet: {@code set foo "bar baz"}) into a
 * multibulk {@link RedisRequest}, so that everything after the decoder sees one request form.
 *
 * <p>Splits the line the way Redis's {@code sdssplitargs} does: blanks separate arguments; double
 * quotes allow {@code \n \r \t \b \a \xHH} escapes; single quotes allow only {@code \'}; a closing
 * quote must be followed by a blank or the end of the line; a NUL byte ends the line.
 *
 * <p>This is the rare path (people typing), so it allocates freely. Stateless; runs on the event loop
 * of the connection whose decoder calls it. Reads {@code line} without changing it; the frame it
 * returns is new, allocated from the given allocator, and owned by the returned request.
 */
final class InlineCommand {

    private static final byte[] CRLF = {'\r', '\n'};

    private InlineCommand() {
    }

    /**
     * @return the request, or {@code null} for a line with no arguments
     * @throws RespRequestException on unbalanced quotes or more than {@code maxArgs} arguments
     */
    static RedisRequest parse(ByteBufAllocator alloc, ByteBuf line, int from, int to, int maxArgs) {
        List<byte[]> words = split(line, from, to);
        if (words == null) {
            throw new RespRequestException("unbalanced quotes in request");
        }
        if (words.isEmpty()) {
            return null;
        }
        if (words.size() > maxArgs) {
            throw new RespRequestException("invalid multibulk length");
        }
        return encode(alloc, words);
    }

    private static RedisRequest encode(ByteBufAllocator alloc, List<byte[]> words) {
        int size = 1 + digits(words.size()) + 2;
        for (byte[] word : words) {
            size += 1 + digits(word.length) + 2 + word.length + 2;
        }
        ByteBuf frame = alloc.buffer(size, size);
        int[] args = new int[words.size() * 2];
        frame.writeByte('*');
        ByteBufUtil.writeAscii(frame, Integer.toString(words.size()));
        frame.writeBytes(CRLF);
        for (int i = 0; i < words.size(); i++) {
            byte[] word = words.get(i);
            frame.writeByte('$');
            ByteBufUtil.writeAscii(frame, Integer.toString(word.length));
            frame.writeBytes(CRLF);
            args[i * 2] = frame.writerIndex();
            args[i * 2 + 1] = word.length;
            frame.writeBytes(word);
            frame.writeBytes(CRLF);
        }
        return new RedisRequest(frame, args, words.size());
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }

    /** {@code sdssplitargs}; {@code null} means unbalanced quotes. */
    static List<byte[]> split(ByteBuf buf, int from, int to) {
        List<byte[]> words = new ArrayList<>();
        int p = from;
        for (;;) {
            while (at(buf, p, to) != 0 && isSpace(at(buf, p, to))) {
                p++;
            }
            if (at(buf, p, to) == 0) {
                return words;
            }
            ByteArrayOutputStream word = new ByteArrayOutputStream();
            for (;;) {
                int c = at(buf, p, to);
                if (c == '"' || c == '\'') {
                    // A quoted part ends the word: the closing quote must be followed by a space or the end.
                    p = readQuoted(buf, p + 1, to, c, word);
                    if (p < 0) {
                        return null;
                    }
                    break;
                }
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0) {
                    if (c != 0) {
                        p++;
                    }
                    break;
                }
                word.write(c);
                p++;
            }
            words.add(word.toByteArray());
        }
    }

    /**
     * Reads a quoted part from just after its opening {@code quote} into {@code word}: inside double quotes
     * the C escapes and {@code \xHH}; inside single quotes only {@code \'}.
     *
     * @return the index just past the closing quote, or -1 when the quotes are unbalanced
     */
    private static int readQuoted(ByteBuf buf, int p, int to, int quote, ByteArrayOutputStream word) {
        for (;; p++) {
            int c = at(buf, p, to);
            int next = at(buf, p + 1, to);
            if (c == 0) {
                return -1;
            } else if (c == quote) {
                return next == 0 || isSpace(next) ? p + 1 : -1;
            } else if (c == '\\' && quote == '"' && next == 'x'
                    && isHex(at(buf, p + 2, to)) && isHex(at(buf, p + 3, to))) {
                word.write(hex(at(buf, p + 2, to)) * 16 + hex(at(buf, p + 3, to)));
                p += 3;
            } else if (c == '\\' && (quote == '"' ? next != 0 : next == '\'')) {
                p++;
                word.write(quote == '"' ? unescape(next) : next);
            } else {
                word.write(c);
            }
        }
    }

    /** The byte at {@code p}, or 0 past the end: the C string view sdssplitargs works on. */
    private static int at(ByteBuf buf, int p, int to) {
        return p < to ? buf.getByte(p) & 0xff : 0;
    }

    /** C's isspace in the "C" locale. */
    private static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(int c) {
        if (c <= '9') {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }

    private static int unescape(int c) {
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> c;
        };
    }
}
