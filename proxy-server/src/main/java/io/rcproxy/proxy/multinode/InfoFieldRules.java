package io.rcproxy.proxy.multinode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule for each INFO field, read once from {@code info-fields.tsv}: which sections exist and in what
 * order, which fields each has in Redis 7.0.15's order, and how each field's value is built (the proxy's
 * own, summed over the masters, their maximum...). A section's {@code *} row is the rule for fields a
 * master sends that the table does not list.
 *
 * <p>Immutable once loaded; shared by every event loop.
 */
final class InfoFieldRules {

    /** One field and its rule, as in the table. */
    record Field(String name, String rule) {
    }

    /** One section: its lowercase name, listed fields in order, and the rule for any other field. */
    record Section(String name, List<Field> fields, String otherFields) {

        /** Whether every value of this section is the proxy's own, so the masters need not be asked. */
        boolean proxyOnly() {
            if (!otherFields.equals("drop")) {
                return false;
            }
            for (Field field : fields) {
                if (!field.rule().equals("proxy")) {
                    return false;
                }
            }
            return true;
        }
    }

    static final InfoFieldRules RULES = load("info-fields.tsv");

    private final Map<String, Section> sections;

    private InfoFieldRules(Map<String, Section> sections) {
        this.sections = sections;
    }

    /** The sections in Redis's order. */
    Iterable<Section> sections() {
        return sections.values();
    }

    /** The section called {@code name} (lowercase), or null. */
    Section section(String name) {
        return sections.get(name);
    }

    static InfoFieldRules load(String resource) {
        try (InputStream in = InfoFieldRules.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, List<Field>> fields = new LinkedHashMap<>();
            Map<String, String> others = new LinkedHashMap<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t");
                if (c.length != 3) {
                    throw new IllegalStateException(resource + ": bad row '" + line + "'");
                }
                List<Field> list = fields.computeIfAbsent(c[0], k -> new ArrayList<>());
                if (c[1].equals("*")) {
                    others.put(c[0], c[2]);
                } else {
                    list.add(new Field(c[1], c[2]));
                }
            }
            Map<String, Section> sections = new LinkedHashMap<>();
            for (Map.Entry<String, List<Field>> section : fields.entrySet()) {
                String other = others.get(section.getKey());
                if (other == null) {
                    throw new IllegalStateException(resource + ": section " + section.getKey() + " has no '*' row");
                }
                sections.put(section.getKey(), new Section(section.getKey(), List.copyOf(section.getValue()), other));
            }
            return new InfoFieldRules(sections);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
