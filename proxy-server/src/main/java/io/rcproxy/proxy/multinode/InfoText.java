package io.rcproxy.proxy.multinode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One node's INFO reply, read into sections (lowercase names, as INFO takes them) of fields in the order
 * the node sent them. A field line is {@code name:value}; a line without a colon is skipped.
 *
 * <p>Not thread-safe; built per INFO call on the client's event loop.
 */
final class InfoText {

    private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();

    static InfoText parse(String text) {
        InfoText info = new InfoText();
        Map<String, String> current = null;
        for (String line : text.split("\r?\n")) {
            if (line.startsWith("# ")) {
                current = info.sections.computeIfAbsent(line.substring(2).trim().toLowerCase(Locale.ROOT),
                        k -> new LinkedHashMap<>());
                continue;
            }
            int colon = line.indexOf(':');
            if (current != null && colon > 0) {
                current.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return info;
    }

    /** The fields of {@code section}, empty when the node sent none. */
    Map<String, String> section(String section) {
        return sections.getOrDefault(section, Map.of());
    }
}
