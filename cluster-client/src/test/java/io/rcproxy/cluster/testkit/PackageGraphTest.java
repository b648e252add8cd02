package io.rcproxy.cluster.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PackageGraphTest {

    @Test
    void namesACycleThroughThreePackages() {
        PackageGraph graph = new PackageGraph(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"),
                "d", Set.of()));
        assertEquals(List.of("a -> b -> c -> a (all of [a, b, c])"), graph.cycles());
    }

    @Test
    void reportsNothingForALayeredGraph() {
        PackageGraph graph = new PackageGraph(Map.of("a", Set.of("b", "c"), "b", Set.of("c"), "c", Set.of()));
        assertEquals(List.of(), graph.cycles());
    }
}
