package io.rcproxy.proxy.auth;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A Redis glob ({@code app:*}, {@code user:?}, {@code [a-c]*}, {@code \*}) as in {@code KEYS} and ACL key
 * patterns, compiled once into one token per element so a match reads the key's bytes where they lie in
 * the request, without copying them. Every token but {@code *} matches exactly one byte, so the match is
 * the classic two-pointer walk that backtracks only to the last star: linear for one star, never
 * exponential.
 *
 * <p>Immutable; matched from every event loop.
 */
final class GlobPattern {

    private static final int STAR = -1;
    private static final int ANY = -2;

    private final String text;
    /** A literal byte (0..255), {@link #STAR}, {@link #ANY}, or -3 - n for {@code classes[n]}. */
    private final int[] tokens;
    private final boolean[][] classes;
    private final boolean matchesEverything;

    GlobPattern(String text) {
        this.text = text;
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[p.length];
        boolean[][] sets = new boolean[p.length][];
        int n = 0;
        int setCount = 0;
        for (int i = 0; i < p.length; i++) {
            int c = p[i] & 0xff;
            if (c == '*') {
                if (n == 0 || out[n - 1] != STAR) {
                    out[n++] = STAR;
                }
            } else if (c == '?') {
                out[n++] = ANY;
            } else if (c == '\\' && i + 1 < p.length) {
                out[n++] = p[++i] & 0xff;
            } else if (c == '[') {
                boolean[] set = new boolean[256];
                i = readClass(p, i + 1, set);
                sets[setCount] = set;
                out[n++] = -3 - setCount++;
            } else {
                out[n++] = c;
            }
        }
        this.tokens = java.util.Arrays.copyOf(out, n);
        this.classes = java.util.Arrays.copyOf(sets, setCount);
        this.matchesEverything = n == 1 && tokens[0] == STAR;
    }

    /** Reads a class from just after {@code [}; fills {@code set}; returns the index of its {@code ]}. */
    private static int readClass(byte[] p, int start, boolean[] set) {
        int i = start;
        boolean negate = i < p.length && p[i] == '^';
        if (negate) {
            i++;
        }
        boolean[] members = new boolean[256];
        while (i < p.length && p[i] != ']') {
            int c = p[i] & 0xff;
            if (c == '\\' && i + 1 < p.length) {
                c = p[++i] & 0xff;
                members[c] = true;
            } else if (i + 2 < p.length && p[i + 1] == '-' && p[i + 2] != ']') {
                int from = c;
                int to = p[i + 2] & 0xff;
                for (int x = Math.min(from, to); x <= Math.max(from, to); x++) {
                    members[x] = true;
                }
                i += 2;
            } else {
                members[c] = true;
            }
            i++;
        }
        for (int x = 0; x < 256; x++) {
            set[x] = members[x] != negate;
        }
        return i; // at ']' or past the end: Redis treats an unclosed class as closed there
    }

    String text() {
        return text;
    }

    boolean matchesEverything() {
        return matchesEverything;
    }

    boolean matches(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return matches(io.netty.buffer.Unpooled.wrappedBuffer(bytes), 0, bytes.length);
    }

    /** Whether the bytes {@code buf[offset, offset + length)} match; reads them in place. */
    boolean matches(ByteBuf buf, int offset, int length) {
        if (matchesEverything) {
            return true;
        }
        int t = 0;
        int s = 0;
        int starToken = -1;
        int starPos = 0;
        while (s < length) {
            if (t < tokens.length && tokens[t] != STAR && matchesOne(tokens[t], buf.getByte(offset + s) & 0xff)) {
                t++;
                s++;
            } else if (t < tokens.length && tokens[t] == STAR) {
                starToken = t++;
                starPos = s;
            } else if (starToken >= 0) {
                t = starToken + 1;
                s = ++starPos;
            } else {
                return false;
            }
        }
        while (t < tokens.length && tokens[t] == STAR) {
            t++;
        }
        return t == tokens.length;
    }

    private boolean matchesOne(int token, int c) {
        if (token >= 0) {
            return token == c;
        }
        return token == ANY || classes[-3 - token][c];
    }

    @Override
    public String toString() {
        return text;
    }
}
