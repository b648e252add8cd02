package io.rcproxy.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Passwords as Redis keeps them: the lowercase hex of their SHA-256, so a rule may give {@code #<hash>}
 * instead of the clear text, and a password is never held longer than it takes to hash it. Comparing two
 * hashes takes the same time wherever they differ. Stateless.
 */
final class PasswordHash {

    static final int HEX_LENGTH = 64;

    private PasswordHash() {
    }

    static String of(byte[] password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e); // every Java SE runtime has it
        }
    }

    static String of(String password) {
        return of(password.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code hex} is a SHA-256 in hex, as {@code #<hash>} rules must give it. */
    static boolean isHash(String hex) {
        if (hex.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Constant-time comparison of two hashes in hex. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
