package io.rcproxy.proxy.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rcproxy.proxy.protocol.RedisRequest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Redis commands the proxy knows, loaded from {@code commands.tsv} (generated from a real
 * redis-server by {@code scripts/gen-commands.sh}), and the per-request lookup of a request's command.
 *
 * <p>{@link #lookup(RedisRequest)} runs for every request: it folds the name's bytes to lower case as
 * it hashes them, so it allocates nothing. For a container command (CLIENT, OBJECT, CONFIG...) it
 * also looks at argument 1 and returns the subcommand's spec, whose key positions and routing may
 * differ from the container's.
 *
 * <p>Immutable once built; {@link #builtIn()} is loaded once and shared by every event loop.
 */
public final class CommandTable {

    /** The Redis version the proxy answers as (HELLO, INFO): the one the built-in table comes from. */
    public static final String REDIS_VERSION = "7.0.15";

    private static final String RESOURCE = "commands.tsv";

    /** A top-level command and, for a container, its subcommands. */
    private record Entry(CommandSpec spec, NameIndex<CommandSpec> subcommands) {
    }

    private final NameIndex<Entry> commands;
    private final List<CommandSpec> specs;

    private CommandTable(NameIndex<Entry> commands, List<CommandSpec> specs) {
        this.commands = commands;
        this.specs = specs;
    }

    /** The table shipped in the jar, parsed on first use. */
    public static CommandTable builtIn() {
        return BuiltIn.TABLE;
    }

    private static final class BuiltIn {
        static final CommandTable TABLE = loadResource();
    }

    private static CommandTable loadResource() {
        try (InputStream in = CommandTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return parse(reader.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The spec of the request's command: the subcommand's for a container command whose argument 1
     * names a known subcommand, otherwise the command's own. A container spec returned for a request
     * with two or more arguments means an unknown subcommand ({@code -ERR unknown subcommand...}).
     *
     * @return null for an unknown command
     */
    public CommandSpec lookup(RedisRequest req) {
        ByteBuf frame = req.frame();
        Entry entry = commands.get(frame, req.argOffset(0), req.argLength(0));
        if (entry == null) {
            return null;
        }
        if (entry.subcommands == null || req.argCount() < 2) {
            return entry.spec;
        }
        CommandSpec sub = entry.subcommands.get(frame, req.argOffset(1), req.argLength(1));
        return sub != null ? sub : entry.spec;
    }

    /**
     * The spec named {@code name} ({@code "get"}, {@code "object|encoding"}), in any case. Allocates;
     * for configuration and tests.
     */
    public CommandSpec lookup(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        String command = bar < 0 ? lower : lower.substring(0, bar);
        Entry entry = get(commands, command);
        if (entry == null || bar < 0) {
            return entry == null ? null : entry.spec;
        }
        return entry.subcommands == null ? null : get(entry.subcommands, lower.substring(bar + 1));
    }

    /** Every command and subcommand, in file order; a spec's {@link CommandSpec#id()} is its index here. */
    public List<CommandSpec> specs() {
        return specs;
    }

    private static <V> V get(NameIndex<V> index, String name) {
        ByteBuf bytes = Unpooled.wrappedBuffer(name.getBytes(StandardCharsets.US_ASCII));
        return index.get(bytes, 0, bytes.readableBytes());
    }

    /**
     * Builds a table from the lines of a {@code commands.tsv}; '#' lines and blank lines are skipped. For
     * the built-in table and for tests of what consumes a table.
     *
     * @throws IllegalArgumentException naming the row, for a malformed row, or a {@code fan_out} or
     *                                  {@code all_masters} row without a merge that fits it
     */
    public static CommandTable parse(List<String> lines) {
        List<String[]> rows = new ArrayList<>();
        Set<String> containers = new HashSet<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            if (columns.length != 9 && columns.length != 10) {
                // The acl column (10th) may be left off by tables written for tests: no categories then.
                throw new IllegalArgumentException("expected 9 or 10 tab-separated columns: " + line);
            }
            rows.add(columns);
            int bar = columns[0].indexOf('|');
            if (bar > 0) {
                containers.add(columns[0].substring(0, bar));
            }
        }

        Map<String, CommandSpec> topLevel = new LinkedHashMap<>();
        Map<String, Map<String, CommandSpec>> subcommands = new HashMap<>();
        List<CommandSpec> specs = new ArrayList<>(rows.size());
        for (String[] columns : rows) {
            CommandSpec spec = toSpec(columns, containers.contains(columns[0]), specs.size());
            specs.add(spec);
            int bar = spec.name().indexOf('|');
            if (bar < 0) {
                if (topLevel.put(spec.name(), spec) != null) {
                    throw new IllegalArgumentException("duplicate command " + spec.name());
                }
            } else {
                subcommands.computeIfAbsent(spec.name().substring(0, bar), k -> new LinkedHashMap<>())
                        .put(spec.name().substring(bar + 1), spec);
            }
        }

        Map<String, Entry> entries = new LinkedHashMap<>();
        for (CommandSpec spec : topLevel.values()) {
            Map<String, CommandSpec> subs = subcommands.remove(spec.name());
            entries.put(spec.name(), new Entry(spec, subs == null ? null : new NameIndex<>(subs)));
        }
        if (!subcommands.isEmpty()) {
            throw new IllegalArgumentException("subcommands without a container: " + subcommands.keySet());
        }
        return new CommandTable(new NameIndex<>(entries), Collections.unmodifiableList(specs));
    }

    private static CommandSpec toSpec(String[] c, boolean container, int id) {
        String name = c[0];
        try {
            if (!name.equals(name.toLowerCase(Locale.ROOT)) || name.isEmpty()) {
                throw new IllegalArgumentException("name must be lowercase");
            }
            int arity = Integer.parseInt(c[1]);
            int flags = 0;
            if (!c[2].equals("-")) {
                for (String flag : c[2].split(",")) {
                    flags |= CommandFlag.fromRedisName(flag).bit();
                }
            }
            int first = Integer.parseInt(c[3]);
            int last = Integer.parseInt(c[4]);
            int step = Integer.parseInt(c[5]);
            if (arity == 0 || first < 0 || step < 0 || (first > 0 && step == 0)) {
                throw new IllegalArgumentException("bad arity or key range");
            }
            KeyLocator keys = toKeyLocator(c[6], first, last, step, (flags & CommandFlag.NO_MANDATORY_KEYS.bit()) != 0);
            Routing routing = Routing.valueOf(c[7].toUpperCase(Locale.ROOT));
            Merge merge = Merge.fromColumn(c[8]);
            if (merge == null && Merge.needed(routing)) {
                throw new IllegalArgumentException("routing " + c[7] + " needs a merge");
            }
            if (merge != null && !merge.fits(routing)) {
                throw new IllegalArgumentException("merge " + c[8] + " does not fit routing " + c[7]);
            }
            if (routing == Routing.FAN_OUT && !(keys instanceof FixedKeys && first == 1 && last == -1)) {
                // A part is rebuilt as the name and its slot's keys (with their values): nothing else may be in it.
                throw new IllegalArgumentException("fan_out needs keys from argument 1 to the last (range 1 -1 step)");
            }
            int categories = c.length > 9 ? categories(c[9]) : 0;
            return new CommandSpec(name, arity, flags, first, last, step, keys, routing, merge, container, id,
                    categories);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad commands.tsv row for '" + name + "': " + e.getMessage(), e);
        }
    }

    private static int categories(String column) {
        int bits = 0;
        if (!column.equals("-")) {
            for (String name : column.split(",")) {
                AclCategory category = AclCategory.fromRedisName(name);
                if (category == null) {
                    throw new IllegalArgumentException("unknown ACL category '" + name + "'");
                }
                bits |= category.bit();
            }
        }
        return bits;
    }

    private static KeyLocator toKeyLocator(String keys, int first, int last, int step, boolean noMandatoryKeys) {
        if (keys.equals("range")) {
            return first == 0 ? FixedKeys.NONE : new FixedKeys(first, last, step);
        }
        if (keys.startsWith("numkeys@")) {
            return new NumKeys(Integer.parseInt(keys.substring("numkeys@".length())), false, noMandatoryKeys);
        }
        if (keys.startsWith("slot@")) {
            return new SlotArgument(Integer.parseInt(keys.substring("slot@".length())));
        }
        if (keys.startsWith("dest+numkeys@")) {
            return new NumKeys(Integer.parseInt(keys.substring("dest+numkeys@".length())), true, noMandatoryKeys);
        }
        return switch (keys) {
            case "streams" -> new StreamKeys();
            case "sort" -> new StoreKeys(StoreKeys.Scan.SORT);
            case "georadius" -> new StoreKeys(StoreKeys.Scan.GEORADIUS);
            default -> throw new IllegalArgumentException("unknown keys locator '" + keys + "'");
        };
    }
}
