package io.rcproxy.proxy.tracking;

/** The frames tests expect, as text. */
final class Frames {

    static final String OK = "+OK\r\n";
    static final String FLUSH3 = ">2\r\n$10\r\ninvalidate\r\n_\r\n";

    private Frames() {
    }

    /** {@code >2 invalidate [keys]}. */
    static String invalidate(String... keys) {
        StringBuilder out = new StringBuilder(">2\r\n$10\r\ninvalidate\r\n*").append(keys.length).append("\r\n");
        for (String key : keys) {
            out.append('$').append(key.length()).append("\r\n").append(key).append("\r\n");
        }
        return out.toString();
    }

    /** {@code message __redis__:invalidate [keys]}: what a RESP2 REDIRECT target in subscriber mode gets. */
    static String message(String... keys) {
        StringBuilder out = new StringBuilder("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*")
                .append(keys.length).append("\r\n");
        for (String key : keys) {
            out.append('$').append(key.length()).append("\r\n").append(key).append("\r\n");
        }
        return out.toString();
    }
}
