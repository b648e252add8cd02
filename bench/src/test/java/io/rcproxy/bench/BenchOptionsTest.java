package io.rcproxy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.topology.HostAndPort;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsMatchTheSeedBenchmark() {
        BenchOptions o = BenchOptions.parse();
        assertEquals(List.of("client", "lettuce", "proxy"), o.targets());
        assertEquals(16, o.workers());
        assertEquals(4, o.connectionsPerNode());
        assertEquals(512, o.keySize());
        assertEquals(512, o.valueSize());
        assertEquals(10_000, o.keyspace());
        assertEquals(Duration.ofSeconds(10), o.duration());
        assertEquals(Duration.ofSeconds(2), o.warmup());
        assertEquals(List.of(Operation.GET, Operation.SET, Operation.MIXED), o.operations());
        assertEquals(List.of(1), o.pipelines());
        assertEquals("client", o.baseline());
        assertTrue(o.rates().isEmpty());
        assertEquals(null, o.out());
        assertEquals(List.of(new HostAndPort("127.0.0.1", 7001)), o.seeds());
        assertEquals(new HostAndPort("127.0.0.1", 6380), o.proxy());
        assertFalse(o.json());
    }

    @Test
    void everyFlagIsRead() {
        BenchOptions o = BenchOptions.parse("--targets", "proxy,client", "--workers", "8", "--connections-per-node", "2",
                "--key-size", "16", "--value-size", "100", "--keyspace", "50", "--duration", "500ms", "--warmup", "0",
                "--ops", "SET,mixed", "--pipeline", "4,1", "--baseline", "lettuce", "--out", "/tmp/r", "--rates", "10k,2.5k,1m,500", "--seeds", "127.0.0.1:7101,127.0.0.1:7102",
                "--proxy", "127.0.0.1:6390", "--single", "127.0.0.1:7111", "--client-api", "command",
                "--timeout", "2s", "--max-ops-per-worker", "1000", "--json");
        assertEquals(List.of("proxy", "client"), o.targets());
        assertEquals(8, o.workers());
        assertEquals(2, o.connectionsPerNode());
        assertEquals(16, o.keySize());
        assertEquals(100, o.valueSize());
        assertEquals(50, o.keyspace());
        assertEquals(Duration.ofMillis(500), o.duration());
        assertEquals(Duration.ZERO, o.warmup());
        assertEquals(List.of(Operation.SET, Operation.MIXED), o.operations());
        assertEquals(List.of(4, 1), o.pipelines());
        assertEquals("lettuce", o.baseline());
        assertEquals(java.nio.file.Path.of("/tmp/r"), o.out());
        assertEquals(List.of(10_000L, 2_500L, 1_000_000L, 500L), o.rates());
        assertEquals(2, o.seeds().size());
        assertEquals(6390, o.proxy().port());
        assertEquals(7111, o.single().port());
        assertEquals(BenchOptions.ClientApi.COMMAND, o.clientApi());
        assertEquals(Duration.ofSeconds(2), o.timeout());
        assertEquals(1000, o.maxOpsPerWorker());
        assertTrue(o.json());
    }

    @Test
    void durationsTakeUnitsOrPlainSeconds() {
        assertEquals(Duration.ofSeconds(10), BenchOptions.parseDuration("--duration", "10s"));
        assertEquals(Duration.ofMillis(2500), BenchOptions.parseDuration("--duration", "2.5s"));
        assertEquals(Duration.ofMillis(250), BenchOptions.parseDuration("--duration", "250ms"));
        assertEquals(Duration.ofMinutes(2), BenchOptions.parseDuration("--duration", "2m"));
        assertEquals(Duration.ofSeconds(3), BenchOptions.parseDuration("--duration", "3"));
    }

    @Test
    void mget10IsAnOperationThatReadsPreloadedKeys() {
        BenchOptions o = BenchOptions.parse("--ops", "get,mget10");
        assertEquals(List.of(Operation.GET, Operation.MGET10), o.operations());
        assertTrue(Operation.MGET10.readsKeys());
        assertEquals(Operation.Command.MGET, Operation.MGET10.next(new java.util.SplittableRandom(1)));
    }

    @Test
    void otherProxiesAreNamedTargetsWithTheirAddressesInOrder() {
        BenchOptions o = BenchOptions.parse("--targets", "client, envoy=127.0.0.1:31150,proxy,Twem_2=10.0.0.9:22121");
        assertEquals(List.of("client", "envoy", "proxy", "Twem_2"), o.targets());
        assertEquals(List.of("envoy", "Twem_2"), List.copyOf(o.extraTargets().keySet()));
        assertEquals(new HostAndPort("127.0.0.1", 31150), o.extraTargets().get("envoy"));
        assertEquals(new HostAndPort("10.0.0.9", 22121), o.extraTargets().get("Twem_2"));
    }

    @Test
    void theBaselineIsTheDirectClusterClientUnlessOnlyLettuceRuns() {
        assertEquals("client", BenchOptions.parse("--targets", "proxy,client").baseline());
        assertEquals("lettuce", BenchOptions.parse("--targets", "proxy,lettuce").baseline());
        assertEquals("client", BenchOptions.parse("--targets", "proxy").baseline());
        assertEquals("proxy", BenchOptions.parse("--targets", "proxy,lettuce", "--baseline", "proxy").baseline());
    }

    @Test
    void badInputIsRefusedWithTheFlagNamed() {
        assertMessage("unknown target 'redis'", "--targets", "client,redis");
        assertMessage("--workers must be at least 1", "--workers", "0");
        assertMessage("--workers: not a number", "--workers", "many");
        assertMessage("--duration: not a duration", "--duration", "fast");
        assertMessage("--duration must be more than 0", "--duration", "0s");
        assertMessage("unknown operation 'incr'", "--ops", "get,incr");
        assertMessage("--seeds: bad address", "--seeds", "localhost");
        assertMessage("--pipeline needs a value", "--pipeline");
        assertMessage("unknown option --bogus", "--bogus", "1");
        assertMessage("--client-api must be typed or command", "--client-api", "sync");
        assertMessage("'proxy' is a built-in target", "--targets", "proxy=127.0.0.1:31150");
        assertMessage("--targets: bad address", "--targets", "envoy=localhost");
        assertMessage("--targets: bad target name", "--targets", "=127.0.0.1:1");
        assertMessage("--targets names 'envoy' twice", "--targets", "envoy=127.0.0.1:1,envoy=127.0.0.1:2");
        assertMessage("--pipeline must be at least 1", "--pipeline", "1,0");
        assertMessage("--rates: not a rate", "--rates", "10k,fast");
        assertMessage("--rates: a rate must be at least 1", "--rates", "0");
        assertMessage("--rates names no rate", "--rates", ",");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(args));
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
