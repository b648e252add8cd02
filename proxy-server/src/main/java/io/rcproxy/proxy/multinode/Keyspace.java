package io.rcproxy.proxy.multinode;

import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster's {@code # Keyspace} section, summed over the masters' own: for each database, keys and
 * expiring keys add up, and {@code avg_ttl} is the average of the masters' weighted by their expiring
 * keys. Databases without keys are left out, as Redis does.
 *
 * <p>Not thread-safe; built once per INFO call on the client's event loop (a rare command: maps are fine).
 */
final class Keyspace {

    /** Per database number: keys, expires, and the sum of avg_ttl * expires. */
    private final Map<Integer, long[]> databases = new TreeMap<>();

    /** Adds one master's keyspace section as {@link InfoText} read it ({@code db0} to {@code keys=...}). */
    void add(Map<String, String> section) {
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, String> db : section.entrySet()) {
            lines.append(db.getKey()).append(':').append(db.getValue()).append('\n');
        }
        add(lines.toString());
    }

    /** Adds one master's {@code INFO keyspace} text; lines that are not {@code dbN:...} are skipped. */
    void add(String info) {
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (!line.startsWith("db") || colon < 3) {
                continue;
            }
            int db;
            try {
                db = Integer.parseInt(line.substring(2, colon));
            } catch (NumberFormatException notADatabase) {
                continue;
            }
            long keys = 0;
            long expires = 0;
            long avgTtl = 0;
            for (String field : line.substring(colon + 1).split(",")) {
                int eq = field.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                long value;
                try {
                    value = Long.parseLong(field.substring(eq + 1).trim());
                } catch (NumberFormatException notANumber) {
                    continue;
                }
                switch (field.substring(0, eq)) {
                    case "keys" -> keys = value;
                    case "expires" -> expires = value;
                    case "avg_ttl" -> avgTtl = value;
                    default -> { }
                }
            }
            long[] totals = databases.computeIfAbsent(db, k -> new long[3]);
            totals[0] += keys;
            totals[1] += expires;
            totals[2] += avgTtl * expires;
        }
    }

    /** The section, {@code \r\n} line endings, header included. */
    String render() {
        StringBuilder out = new StringBuilder("# Keyspace\r\n");
        for (Map.Entry<Integer, long[]> db : databases.entrySet()) {
            long[] t = db.getValue();
            if (t[0] == 0) {
                continue;
            }
            out.append("db").append(db.getKey()).append(":keys=").append(t[0]).append(",expires=").append(t[1])
                    .append(",avg_ttl=").append(t[1] == 0 ? 0 : t[2] / t[1]).append("\r\n");
        }
        return out.toString();
    }
}
