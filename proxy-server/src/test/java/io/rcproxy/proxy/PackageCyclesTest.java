package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rcproxy.cluster.testkit.PackageGraph;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proxy's packages form layers: no package reaches itself again through its imports. */
class PackageCyclesTest {

    @Test
    void mainPackagesHaveNoCycle() {
        assertEquals(List.of(), PackageGraph.read(Path.of("src/main/java")).cycles());
    }
}
