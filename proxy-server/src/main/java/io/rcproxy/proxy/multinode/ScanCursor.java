package io.rcproxy.proxy.multinode;

/**
 * The SCAN cursor the proxy gives clients: which master the scan is on, and that master's own cursor.
 *
 * <p>Encoding: the client's cursor is the decimal number {@code nodeCursor * 10^4 + masterIndex}, written
 * by concatenating digits so a 64-bit node cursor never overflows: {@code "0"} starts at master 0;
 * {@code "3"} is master 3 from its beginning; {@code "17920002"} is cursor 1792 on master 2. Masters are
 * numbered in a stable order (by address), so a cursor stays meaningful across calls and proxy restarts
 * while the set of masters does not change. The cursor stays within an unsigned 64-bit integer as long as
 * the node's cursor is below 1.8 * 10^15, which Redis's cursors (bounded by its hash table size) are in
 * practice; clients that keep cursors as strings are never limited.
 *
 * <p>Immutable; any thread.
 */
record ScanCursor(int master, String nodeCursor) {

    /** Digits that carry the master index. */
    static final int INDEX_DIGITS = 4;
    /** Masters a cursor can name. */
    static final int MAX_MASTERS = 10_000;

    static final ScanCursor START = new ScanCursor(0, "0");

    /** The cursor text for the client. */
    String encode() {
        if (nodeCursor.equals("0")) {
            return Integer.toString(master);
        }
        String index = Integer.toString(master);
        return nodeCursor + "0".repeat(INDEX_DIGITS - index.length()) + index;
    }

    /** What a client's cursor names, or null when it is not a cursor this proxy could have given. */
    static ScanCursor decode(String text) {
        int length = text.length();
        if (length == 0 || length > 20 + INDEX_DIGITS) {
            return null;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        if (length > 1 && text.charAt(0) == '0') {
            return null;
        }
        if (length <= INDEX_DIGITS) {
            return new ScanCursor(Integer.parseInt(text), "0");
        }
        String node = text.substring(0, length - INDEX_DIGITS);
        try {
            Long.parseUnsignedLong(node);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
        return new ScanCursor(Integer.parseInt(text.substring(length - INDEX_DIGITS)), node);
    }

    /**
     * Where a scan goes after master {@code master} answered with {@code nextNodeCursor}: on along that
     * master, to the next master's beginning, or {@code null} when the last master is done.
     */
    ScanCursor next(String nextNodeCursor, int masters) {
        if (!nextNodeCursor.equals("0")) {
            return new ScanCursor(master, nextNodeCursor);
        }
        return master + 1 < masters ? new ScanCursor(master + 1, "0") : null;
    }
}
