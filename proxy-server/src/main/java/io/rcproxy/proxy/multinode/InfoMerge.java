package io.rcproxy.proxy.multinode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds one INFO section from the masters' sections and the proxy's own values, by the rules of
 * {@link InfoFieldRules}: a listed field is built by its rule, in the table's order; fields only the masters
 * know follow, by the section's {@code *} rule. Rules on numbers keep the masters' number of decimals.
 * Per-entry sections merge entry by entry: {@code cmdstat} adds calls, usec and the failure counts and
 * recomputes {@code usec_per_call}; {@code count} adds (errorstats); {@code percentiles} takes each
 * percentile's maximum (latencystats, a bound rather than the exact percentile).
 *
 * <p>Stateless; runs on the client's event loop.
 */
final class InfoMerge {

    private InfoMerge() {
    }

    /** The fields of {@code section}, merged; {@code proxy} holds the values of its {@code proxy} fields. */
    static Map<String, String> merge(InfoFieldRules.Section section, List<Map<String, String>> masters,
                                     Map<String, String> proxy) {
        Map<String, String> out = new LinkedHashMap<>();
        List<InfoFieldRules.Field> derived = new ArrayList<>();
        Set<String> listed = new LinkedHashSet<>();
        for (InfoFieldRules.Field field : section.fields()) {
            listed.add(field.name());
            String rule = field.rule();
            if (rule.contains(":")) {
                derived.add(field);
                out.put(field.name(), null); // keeps the field's place
            } else if (rule.equals("proxy")) {
                putIfPresent(out, field.name(), proxy.get(field.name()));
            } else {
                putIfPresent(out, field.name(), value(rule, values(masters, field.name())));
            }
        }
        for (InfoFieldRules.Field field : derived) {
            out.put(field.name(), derive(field.rule(), out));
        }
        out.values().removeIf(v -> v == null);
        String other = section.otherFields();
        if (!other.equals("drop")) {
            Set<String> rest = new LinkedHashSet<>();
            for (Map<String, String> master : masters) {
                rest.addAll(master.keySet());
            }
            rest.removeAll(listed);
            for (String name : rest) {
                putIfPresent(out, name, value(other, values(masters, name)));
            }
        }
        return out;
    }

    private static void putIfPresent(Map<String, String> out, String name, String value) {
        if (value != null) {
            out.put(name, value);
        }
    }

    private static List<String> values(List<Map<String, String>> masters, String name) {
        List<String> values = new ArrayList<>(masters.size());
        for (Map<String, String> master : masters) {
            String value = master.get(name);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** {@code rule} applied to the masters' values of one field; null when no master has it. */
    static String value(String rule, List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        switch (rule) {
            case "first":
            case "keyspace": // merged apart, by Keyspace; never reaches here from InfoCommand
                return values.get(0);
            case "status":
                for (String value : values) {
                    if (!value.equals("ok")) {
                        return value;
                    }
                }
                return "ok";
            case "cmdstat":
            case "count":
                return entries(values, false, rule.equals("cmdstat"));
            case "percentiles":
                return entries(values, true, false);
            default:
                break;
        }
        List<BigDecimal> numbers = numbers(values);
        if (numbers == null) {
            return values.get(0);
        }
        BigDecimal result = numbers.get(0);
        for (BigDecimal n : numbers.subList(1, numbers.size())) {
            result = switch (rule) {
                case "sum" -> result.add(n);
                case "capacity" -> result.signum() == 0 || n.signum() == 0 ? BigDecimal.ZERO : result.add(n);
                case "max" -> result.max(n);
                case "min" -> result.min(n);
                default -> throw new IllegalStateException("unknown INFO rule '" + rule + "'");
            };
        }
        int scale = 0;
        for (BigDecimal n : numbers) {
            scale = Math.max(scale, n.scale());
        }
        return result.setScale(scale, RoundingMode.HALF_UP).toPlainString();
    }

    private static List<BigDecimal> numbers(List<String> values) {
        List<BigDecimal> numbers = new ArrayList<>(values.size());
        for (String value : values) {
            try {
                numbers.add(new BigDecimal(value));
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return numbers;
    }

    /** {@code a=1,b=2} entries merged subfield by subfield (added, or their maximum). */
    private static String entries(List<String> values, boolean max, boolean perCall) {
        Map<String, List<String>> subfields = new LinkedHashMap<>();
        for (String value : values) {
            for (String pair : value.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    subfields.computeIfAbsent(pair.substring(0, eq), k -> new ArrayList<>())
                            .add(pair.substring(eq + 1));
                }
            }
        }
        Map<String, String> merged = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> sub : subfields.entrySet()) {
            merged.put(sub.getKey(), value(max ? "max" : "sum", sub.getValue()));
        }
        if (perCall && merged.containsKey("usec_per_call") && merged.containsKey("calls")
                && merged.containsKey("usec")) {
            long calls = Long.parseLong(merged.get("calls"));
            double usec = Double.parseDouble(merged.get("usec"));
            merged.put("usec_per_call", String.format(Locale.ROOT, "%.2f", calls == 0 ? 0.0 : usec / calls));
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> sub : merged.entrySet()) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(sub.getKey()).append('=').append(sub.getValue());
        }
        return out.toString();
    }

    /** A {@code human:}, {@code ratio:} or {@code perc:} field, from fields already merged; null without them. */
    static String derive(String rule, Map<String, String> merged) {
        int colon = rule.indexOf(':');
        String kind = rule.substring(0, colon);
        String expression = rule.substring(colon + 1);
        if (kind.equals("human")) {
            Double bytes = number(merged, expression);
            return bytes == null ? null : human(bytes.longValue());
        }
        int slash = expression.indexOf('/');
        Double numerator = number(merged, expression.substring(0, slash));
        String denominatorText = expression.substring(slash + 1);
        int minus = denominatorText.indexOf('-');
        Double denominator = minus < 0 ? number(merged, denominatorText) : difference(merged, denominatorText, minus);
        if (numerator == null || denominator == null) {
            return null;
        }
        double ratio = denominator == 0 ? 0 : numerator / denominator;
        return switch (kind) {
            case "ratio" -> String.format(Locale.ROOT, "%.2f", ratio);
            case "perc" -> String.format(Locale.ROOT, "%.2f%%", ratio * 100);
            default -> throw new IllegalStateException("unknown INFO rule '" + rule + "'");
        };
    }

    private static Double difference(Map<String, String> merged, String text, int minus) {
        Double a = number(merged, text.substring(0, minus));
        Double b = number(merged, text.substring(minus + 1));
        return a == null || b == null ? null : a - b;
    }

    private static Double number(Map<String, String> merged, String field) {
        String value = merged.get(field);
        if (value == null) {
            return null;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    /** Bytes as Redis writes them for humans: {@code 919.19K}, {@code 6.46M}, {@code 200B}. */
    static String human(long bytes) {
        String[] units = {"K", "M", "G", "T", "P"};
        if (bytes < 1024) {
            return bytes + "B";
        }
        double value = bytes;
        for (String unit : units) {
            value /= 1024;
            if (value < 1024 || unit.equals("P")) {
                return String.format(Locale.ROOT, "%.2f%s", value, unit);
            }
        }
        throw new AssertionError();
    }
}
