package io.rcproxy.proxy.auth;

/**
 * One key rule of a user: {@code ~app:*} (read and write), {@code %R~logs:*} (read only) or {@code %W~q:*}
 * (write only).
 *
 * <p>Immutable; matched from every event loop.
 *
 * @param glob   the pattern
 * @param access {@link #READ} and/or {@link #WRITE}
 */
record KeyPattern(GlobPattern glob, int access) {

    static final int READ = 1;
    static final int WRITE = 2;

    /** As Redis writes it in ACL LIST: {@code ~app:*}, {@code %R~logs:*}. */
    String describe() {
        return switch (access) {
            case READ -> "%R~" + glob.text();
            case WRITE -> "%W~" + glob.text();
            default -> "~" + glob.text();
        };
    }
}
