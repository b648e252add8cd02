package io.rcproxy.proxy.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/**
 * The bearer token that protects the metrics listener: read from a file at start-up, read again when the
 * file's modification time changes (a rotated Secret), compared in constant time. A file that cannot be
 * read refuses every request rather than letting them all in.
 *
 * <p>Thread: the metrics listener's single loop; the file is small and requests are rare.
 */
final class BearerToken {

    private static final String PREFIX = "Bearer ";

    private final Path file;
    private long readAt = Long.MIN_VALUE;
    private byte[] token;

    BearerToken(String file) {
        this.file = Path.of(file);
        refresh();
        if (token == null) {
            throw new IllegalArgumentException("proxy.metrics.token-file: cannot read a token from " + file);
        }
    }

    /** Whether the request carries the token. */
    boolean admits(HttpRequest request) {
        refresh();
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (token == null || header == null || !header.startsWith(PREFIX)) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8));
    }

    private void refresh() {
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            if (modified != readAt) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                String first = lines.isEmpty() ? "" : lines.get(0).trim();
                token = first.isEmpty() ? null : first.getBytes(StandardCharsets.UTF_8);
                readAt = modified;
            }
        } catch (IOException e) {
            token = null;
        }
    }
}
