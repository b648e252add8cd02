package io.rcproxy.cluster.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The package dependency graph of one source tree, read from each file's {@code package} line and its
 * {@code import} lines only (no compiler), and the cycles in it. Imports of packages outside the tree are
 * ignored: a cycle can only run through packages the tree declares.
 */
public final class PackageGraph {

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?\\s*;",
            Pattern.MULTILINE);

    private final Map<String, Set<String>> edges;

    PackageGraph(Map<String, Set<String>> edges) {
        this.edges = edges;
    }

    /** Reads every {@code .java} file under {@code sourceRoot}. */
    public static PackageGraph read(Path sourceRoot) {
        Map<String, List<String>> importsByPackage = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String text = Files.readString(file);
                Matcher pkg = PACKAGE.matcher(text);
                if (!pkg.find()) {
                    continue;
                }
                List<String> imports = importsByPackage.computeIfAbsent(pkg.group(1), k -> new ArrayList<>());
                Matcher imp = IMPORT.matcher(text);
                while (imp.find()) {
                    imports.add(imp.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Set<String>> edges = new TreeMap<>();
        for (Map.Entry<String, List<String>> entry : importsByPackage.entrySet()) {
            Set<String> targets = new TreeSet<>();
            for (String imported : entry.getValue()) {
                String target = owningPackage(imported, importsByPackage.keySet());
                if (target != null && !target.equals(entry.getKey())) {
                    targets.add(target);
                }
            }
            edges.put(entry.getKey(), targets);
        }
        return new PackageGraph(edges);
    }

    /** The longest declared package that {@code imported} (a class, nested class or static member) is in. */
    private static String owningPackage(String imported, Set<String> packages) {
        String name = imported;
        while (name.contains(".")) {
            name = name.substring(0, name.lastIndexOf('.'));
            if (packages.contains(name)) {
                return name;
            }
        }
        return null;
    }

    /**
     * One cycle per strongly connected group of two or more packages, written as {@code a -> b -> a} and
     * followed by the whole group, which a fix must untangle; empty when the graph is acyclic.
     */
    public List<String> cycles() {
        List<String> cycles = new ArrayList<>();
        for (Set<String> group : stronglyConnected()) {
            if (group.size() > 1) {
                cycles.add(cycleThrough(group) + " (all of " + group + ")");
            }
        }
        return cycles;
    }

    /** A shortest path from the group's first package back to itself, inside the group (breadth first). */
    private String cycleThrough(Set<String> group) {
        String start = group.iterator().next();
        Map<String, String> parent = new HashMap<>();
        parent.put(start, null);
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (String next : edges.getOrDefault(at, Set.of())) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>();
                    for (String p = at; p != null; p = parent.get(p)) {
                        path.add(0, p);
                    }
                    path.add(start);
                    return String.join(" -> ", path);
                }
                if (group.contains(next) && !parent.containsKey(next)) {
                    parent.put(next, at);
                    queue.add(next);
                }
            }
        }
        throw new IllegalStateException("no cycle in " + group);
    }

    private List<Set<String>> stronglyConnected() {
        Tarjan tarjan = new Tarjan();
        for (String node : edges.keySet()) {
            if (!tarjan.index.containsKey(node)) {
                tarjan.visit(node);
            }
        }
        return tarjan.groups;
    }

    /** Tarjan's algorithm; the trees here are a few dozen packages deep at most, so recursion is fine. */
    private final class Tarjan {
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> low = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final Set<String> onStack = new TreeSet<>();
        final List<Set<String>> groups = new ArrayList<>();

        void visit(String node) {
            index.put(node, index.size());
            low.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : edges.getOrDefault(node, Set.of())) {
                if (!index.containsKey(next)) {
                    visit(next);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (onStack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                Set<String> group = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    group.add(member);
                } while (!member.equals(node));
                groups.add(group);
            }
        }
    }
}
