package io.rcproxy.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.spi.ReadFrom;
import io.rcproxy.cluster.ClusterClientConfig;
import io.rcproxy.cluster.internal.connection.DedicatedPoolOptions;
import io.rcproxy.cluster.topology.HostAndPort;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyConfigLoaderTest {

    @TempDir
    Path dir;

    private File file(String hocon) throws IOException {
        Path f = dir.resolve("proxy.conf");
        Files.writeString(f, hocon);
        return f.toFile();
    }

    private static String rejected(Map<String, Object> flags, File file, Map<String, String> env) {
        return assertThrows(InvalidConfigException.class, () -> ProxyConfigLoader.load(flags, file, env))
                .getMessage();
    }

    private String rejectedFile(String hocon) throws IOException {
        return rejected(Map.of(), file(hocon), Map.of());
    }

    @Test
    void defaultsComeFromReferenceConf() {
        ProxyConfig c = ProxyConfigLoader.fromMap(Map.of());
        assertEquals("127.0.0.1", c.bind());
        assertEquals(6380, c.port());
        assertEquals(List.of(HostAndPort.parse("127.0.0.1:7001")), c.seeds());
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), c.eventLoops());
        assertEquals(1, c.connectionsPerNode());
        assertEquals(Duration.ofSeconds(2), c.connectTimeout());
        assertEquals(Duration.ofSeconds(5), c.commandTimeout());
        assertEquals(Duration.ofSeconds(30), c.refreshInterval());
        assertEquals(10_000, c.maxPendingPerClient());
        assertEquals(10_000, c.maxClients());
        assertEquals("", c.username());
        assertEquals("", c.password());
        assertEquals(32L * 1024 * 1024, c.pubsubOutputBuffer());
        assertEquals("INFO", c.logLevel());
    }

    private static final long MIB = 1024 * 1024;

    @Test
    void theProxyIsAStandaloneServerUnlessToldToPresentItselfAsACluster() {
        assertFalse(ProxyConfigLoader.fromMap(Map.of()).presentAsCluster());
        ProxyConfig asCluster = ProxyConfigLoader.fromMap(Map.of("proxy.listen.present-as-cluster", true));
        assertTrue(asCluster.presentAsCluster());
        assertTrue(asCluster.describe().contains("present-as-cluster=true"), asCluster.describe());
    }

    @Test
    void readsGoToMastersUnlessToldOtherwise() {
        ProxyConfig defaults = ProxyConfigLoader.fromMap(Map.of());
        assertEquals(ReadFrom.MASTER, defaults.readFrom());
        assertEquals(java.time.Duration.ofSeconds(1), defaults.readYourWritesWindow());
        ProxyConfig replicas = ProxyConfigLoader.fromMap(Map.of("proxy.read-from", "Replica-Preferred",
                "proxy.replica.read-your-writes-window", "250ms"));
        assertEquals(ReadFrom.REPLICA_PREFERRED, replicas.readFrom());
        assertEquals(java.time.Duration.ofMillis(250), replicas.readYourWritesWindow());
        assertTrue(replicas.describe().contains("read-from=replica-preferred"), replicas.describe());
        assertEquals(0, defaults.replicaMaxLag(), "no lag limit by default");
        assertEquals(1024 * 1024, ProxyConfigLoader.fromMap(Map.of("proxy.replica.max-lag", "1MiB")).replicaMaxLag());
        assertEquals(ReadFrom.REPLICA, ProxyConfigLoader.fromMap(Map.of("proxy.read-from", "replica")).readFrom());
        assertEquals(ReadFrom.NEAREST, ProxyConfigLoader.fromMap(Map.of("proxy.read-from", "nearest")).readFrom());
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ProxyConfigLoader.fromMap(Map.of("proxy.read-from", "closest")));
        assertEquals("proxy.read-from: expected master, replica-preferred, replica or nearest, got \"closest\"",
                e.getMessage());
    }

    @Test
    void bufferMemoryDefaultsToHalfTheDirectMemoryAndBoundsTheLargestBulk() {
        ProxyConfig small = ProxyConfigLoader.fromMap(Map.of(), 256 * MIB); // -Xmx256m, as run-local.sh had it
        assertEquals(128 * MIB, small.bufferMemory());
        assertEquals(128 * MIB, small.maxBulkLength(), "a 512 MB bulk could never be buffered in 128 MiB");
        ProxyConfig large = ProxyConfigLoader.fromMap(Map.of(), 4096 * MIB);
        assertEquals(2048 * MIB, large.bufferMemory());
        assertEquals(512 * MIB, large.maxBulkLength(), "Redis's own limit when memory allows");
    }

    @Test
    void bufferMemoryAndMaxBulkLengthCanBeSetWithinTheDirectMemory() {
        ProxyConfig c = ProxyConfigLoader.fromMap(Map.of("proxy.limits.buffer-memory", "100M",
                "proxy.limits.max-bulk-length", 50_000_000), 512 * MIB);
        assertEquals(100 * MIB, c.bufferMemory());
        assertEquals(50_000_000, c.maxBulkLength());
        assertTrue(c.describe().contains("buffer-memory=" + 100 * MIB), c.describe());
    }

    @Test
    void maxBulkLengthLargerThanTheBufferMemoryStopsStartUp() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ProxyConfigLoader.fromMap(Map.of("proxy.limits.max-bulk-length", 536870912), 256 * MIB));
        assertEquals("proxy.limits.max-bulk-length: 536870912 bytes do not fit in proxy.limits.buffer-memory"
                + " (134217728 bytes); lower it, raise buffer-memory, or give the JVM more direct memory"
                + " (-XX:MaxDirectMemorySize)", e.getMessage());
    }

    @Test
    void bufferMemoryBeyondTheDirectMemoryStopsStartUp() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ProxyConfigLoader.fromMap(Map.of("proxy.limits.buffer-memory", "256M"), 256 * MIB));
        assertTrue(e.getMessage().startsWith("proxy.limits.buffer-memory: 268435456 bytes do not fit in the JVM's"
                + " direct memory of 268435456 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("-XX:MaxDirectMemorySize"), e.getMessage());
        assertTrue(assertThrows(InvalidConfigException.class,
                () -> ProxyConfigLoader.fromMap(Map.of("proxy.limits.buffer-memory", "lots"), 256 * MIB))
                .getMessage().startsWith("proxy.limits.buffer-memory: expected a size"));
        assertTrue(assertThrows(InvalidConfigException.class,
                () -> ProxyConfigLoader.fromMap(Map.of(), MIB)).getMessage()
                .startsWith("proxy.limits.buffer-memory: auto gives"));
    }

    @Test
    void aStringWherePortIsExpectedNamesKeyRangeAndValue() throws IOException {
        assertEquals("proxy.listen.port: expected an integer 1-65535, got \"abc\"",
                rejectedFile("proxy.listen.port = \"abc\""));
    }

    @Test
    void outOfRangeNumbersAreRejected() throws IOException {
        assertEquals("proxy.listen.port: expected an integer 1-65535, got 70000",
                rejectedFile("proxy.listen.port = 70000"));
        assertEquals("proxy.listen.port: expected an integer 1-65535, got 0", rejectedFile("proxy.listen.port = 0"));
        assertEquals("proxy.cluster.connections-per-node: expected an integer 1-256, got 0",
                rejectedFile("proxy.cluster.connections-per-node = 0"));
        assertEquals("proxy.limits.max-clients: expected an integer 1-10000000, got -5",
                rejectedFile("proxy.limits.max-clients = -5"));
        assertTrue(rejectedFile("proxy.limits.pubsub-output-buffer = -1").startsWith(
                "proxy.limits.pubsub-output-buffer: "));
    }

    @Test
    void aMisspelledKeyIsNamed() throws IOException {
        assertEquals("proxy.listen.prot: unknown setting", rejectedFile("proxy.listen.prot = 6380"));
    }

    @Test
    void keysOutsideProxyAreLeftAlone() throws IOException {
        assertEquals(6380, ProxyConfigLoader.load(Map.of(), file("akka.loglevel = DEBUG"), Map.of()).port());
    }

    @Test
    void badDurationsAreNamed() throws IOException {
        assertEquals("proxy.cluster.command-timeout: expected a duration such as 500ms or 5s, got \"soon\"",
                rejectedFile("proxy.cluster.command-timeout = soon"));
        assertEquals("proxy.cluster.connect-timeout: expected a positive duration, got \"0s\"",
                rejectedFile("proxy.cluster.connect-timeout = 0s"));
        assertEquals("proxy.cluster.refresh-interval: expected a non-negative duration, got \"-1s\"",
                rejectedFile("proxy.cluster.refresh-interval = -1s"));
        assertEquals(Duration.ZERO,
                ProxyConfigLoader.load(Map.of(), file("proxy.cluster.refresh-interval = 0"), Map.of())
                        .refreshInterval());
    }

    @Test
    void badSeedsAreNamed() throws IOException {
        assertTrue(rejectedFile("proxy.cluster.seeds = [\"localhost\"]").startsWith("proxy.cluster.seeds: "));
        assertTrue(rejectedFile("proxy.cluster.seeds = [\"h:99999\"]").startsWith("proxy.cluster.seeds: "));
        assertTrue(rejectedFile("proxy.cluster.seeds = 5").startsWith("proxy.cluster.seeds: "));
        assertTrue(rejected(Map.of("proxy.cluster.seeds", "a:1,b"), null, Map.of())
                .startsWith("proxy.cluster.seeds: "));
    }

    @Test
    void emptySeedsAreRejected() throws IOException {
        assertEquals("proxy.cluster.seeds: at least one seed host:port is needed",
                rejectedFile("proxy.cluster.seeds = []"));
        assertEquals("proxy.cluster.seeds: at least one seed host:port is needed",
                rejected(Map.of("proxy.cluster.seeds", " , "), null, Map.of()));
    }

    @Test
    void seedsMayBeOneCommaSeparatedString() {
        ProxyConfig c = ProxyConfigLoader.fromMap(Map.of("proxy.cluster.seeds", "10.0.0.1:7001, 10.0.0.2:7002"));
        assertEquals(List.of(HostAndPort.parse("10.0.0.1:7001"), HostAndPort.parse("10.0.0.2:7002")), c.seeds());
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        File f = file("proxy.listen { port = 7000, bind = \"10.1.1.1\" }\nproxy.log.level = WARN");
        ProxyConfig c = ProxyConfigLoader.load(Map.of(), f, Map.of("PROXY_PORT", "7001", "PROXY_LOG_LEVEL", "debug"));
        assertEquals(7001, c.port());
        assertEquals("10.1.1.1", c.bind());
        assertEquals("DEBUG", c.logLevel());
    }

    @Test
    void flagsOverrideTheEnvironmentAndTheFile() throws IOException {
        File f = file("proxy.listen.port = 7000");
        ProxyConfig c = ProxyConfigLoader.load(Map.of("proxy.listen.port", "7002"), f,
                Map.of("PROXY_PORT", "7001", "PROXY_BIND", "0.0.0.0"));
        assertEquals(7002, c.port());
        assertEquals("0.0.0.0", c.bind());
    }

    @Test
    void blankEnvironmentVariablesAreIgnored() {
        ProxyConfig c = ProxyConfigLoader.load(Map.of(), null, Map.of("PROXY_PORT", "  ", "PROXY_PASSWORD", ""));
        assertEquals(6380, c.port());
        assertEquals("", c.password());
    }

    @Test
    void badEnvironmentValuesNameTheKey() {
        assertEquals("proxy.listen.port: expected an integer 1-65535, got \"six\"",
                rejected(Map.of(), null, Map.of("PROXY_PORT", "six")));
    }

    @Test
    void everyEnvironmentVariableSetsAKeyUnderProxy() {
        assertEquals(Map.of(
                "PROXY_BIND", "proxy.listen.bind",
                "PROXY_PORT", "proxy.listen.port",
                "PROXY_SEEDS", "proxy.cluster.seeds",
                "PROXY_USERNAME", "proxy.cluster.username",
                "PROXY_PASSWORD", "proxy.cluster.password",
                "PROXY_LOG_LEVEL", "proxy.log.level",
                "PROXY_METRICS_BIND", "proxy.metrics.bind",
                "PROXY_METRICS_PORT", "proxy.metrics.port",
                "PROXY_AUTH_PASSWORD", "proxy.auth.password",
                "PROXY_AUTH_PASSWORD_FILE", "proxy.auth.password-file"), ProxyConfigLoader.ENVIRONMENT_KEYS);
    }

    @Test
    void passwordAndUsernameComeFromTheEnvironmentAndReachTheClusterClient() {
        ProxyConfig c = ProxyConfigLoader.load(Map.of(), null,
                Map.of("PROXY_PASSWORD", "hunter2", "PROXY_USERNAME", "app"));
        ClusterClientConfig client = c.clusterClientConfig();
        assertEquals("app", client.username());
        assertEquals("hunter2", client.password());
        assertTrue(client.hasAuth());
        assertFalse(client.toString().contains("hunter2"), client.toString());
    }

    @Test
    void aNumericPasswordIsKeptAsWritten() throws IOException {
        assertEquals("0123", ProxyConfigLoader.load(Map.of(), file("proxy.cluster.password = \"0123\""), Map.of())
                .password());
        assertEquals("4711", ProxyConfigLoader.load(Map.of(), file("proxy.cluster.password = 4711"), Map.of())
                .password());
    }

    @Test
    void aUsernameWithoutPasswordIsRejected() {
        assertEquals("proxy.cluster.username: set to \"app\" but proxy.cluster.password is empty",
                rejected(Map.of(), null, Map.of("PROXY_USERNAME", "app")));
    }

    @Test
    void aPasswordThatIsAnObjectIsRejected() throws IOException {
        String message = rejectedFile("proxy.cluster.password { a = 1 }");
        assertTrue(message.startsWith("proxy.cluster.password"), message);
        assertEquals("proxy.cluster.password: expected a string, got list",
                rejectedFile("proxy.cluster.password = [a, b]"));
    }

    @Test
    void logLevelsAreCheckedAndNormalised() throws IOException {
        assertEquals("WARN", ProxyConfigLoader.fromMap(Map.of("proxy.log.level", "warn")).logLevel());
        assertEquals("proxy.log.level: expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got \"LOUD\"",
                rejectedFile("proxy.log.level = LOUD"));
    }

    @Test
    void pubsubOutputBufferAcceptsHoconSizes() throws IOException {
        assertEquals(1024L * 1024, ProxyConfigLoader.load(Map.of(),
                file("proxy.limits.pubsub-output-buffer = 1M"), Map.of()).pubsubOutputBuffer());
        assertEquals("proxy.limits.pubsub-output-buffer: expected a size of 1024-1099511627776 bytes, got 0",
                rejectedFile("proxy.limits.pubsub-output-buffer = 0"));
        assertEquals("proxy.limits.pubsub-output-buffer: expected a size in bytes such as 65536 or 32MB, "
                + "got \"lots\"", rejectedFile("proxy.limits.pubsub-output-buffer = lots"));
    }

    @Test
    void aMissingConfigFileIsNamed() {
        File missing = dir.resolve("nope.conf").toFile();
        assertEquals("--config: no such file " + missing, rejected(Map.of(), missing, Map.of()));
    }

    @Test
    void malformedHoconNamesTheFile() throws IOException {
        File f = file("proxy.listen { port = 6380 ");
        String message = rejected(Map.of(), f, Map.of());
        assertTrue(message.startsWith(f + ": "), message);
    }

    @Test
    void aKeyOfTheWrongShapeIsStillNamed() throws IOException {
        String message = rejectedFile("proxy.listen = 5");
        assertTrue(message.contains("proxy.listen"), message);
    }

    @Test
    void metricsAndShutdownDefaults() {
        ProxyConfig config = ProxyConfigLoader.fromMap(Map.of());
        assertEquals(new MetricsConfig(true, "127.0.0.1", 9121), config.metrics());
        assertEquals(Duration.ofSeconds(10), config.shutdownGracePeriod());
    }

    @Test
    void metricsCanBeMovedOrDisabled() {
        ProxyConfig config = ProxyConfigLoader.fromMap(Map.of("proxy.metrics.enabled", "false",
                "proxy.metrics.bind", "0.0.0.0", "proxy.metrics.port", "9200",
                "proxy.shutdown.grace-period", "0s"));
        assertFalse(config.metrics().enabled());
        assertEquals("0.0.0.0", config.metrics().bind());
        assertEquals(9200, config.metrics().port());
        assertTrue(config.shutdownGracePeriod().isZero());
    }

    @Test
    void badValuesNameTheirKey() {
        assertMessageStartsWith("proxy.metrics.port:", Map.of("proxy.metrics.port", 70000));
        assertMessageStartsWith("proxy.metrics.enabled:", Map.of("proxy.metrics.enabled", "sometimes"));
        assertMessageStartsWith("proxy.metrics.bind:", Map.of("proxy.metrics.bind", " "));
        assertMessageStartsWith("proxy.shutdown.grace-period:", Map.of("proxy.shutdown.grace-period", "-1s"));
    }

    @Test
    void dedicatedPoolDefaultsReachTheClusterClient() {
        ProxyConfig config = ProxyConfigLoader.fromMap(Map.of());
        assertEquals(new DedicatedPoolOptions(16, Duration.ofSeconds(30)), config.dedicatedPool());
        assertEquals(config.dedicatedPool(), config.clusterClientConfig().dedicatedPool());
        assertTrue(config.describe().contains("dedicated-pool.max-idle-per-node=16"), config.describe());
    }

    @Test
    void dedicatedPoolCanBeSizedOrTurnedOff() throws IOException {
        ProxyConfig config = ProxyConfigLoader.load(Map.of(), file(
                "proxy.cluster.dedicated-pool { max-idle-per-node = 0, idle-timeout = 250ms }"), Map.of());
        assertEquals(new DedicatedPoolOptions(0, Duration.ofMillis(250)), config.clusterClientConfig().dedicatedPool());
    }

    @Test
    void badDedicatedPoolValuesNameTheirKey() {
        assertMessageStartsWith("proxy.cluster.dedicated-pool.max-idle-per-node:",
                Map.of("proxy.cluster.dedicated-pool.max-idle-per-node", -1));
        assertMessageStartsWith("proxy.cluster.dedicated-pool.max-idle-per-node:",
                Map.of("proxy.cluster.dedicated-pool.max-idle-per-node", "many"));
        assertMessageStartsWith("proxy.cluster.dedicated-pool.idle-timeout:",
                Map.of("proxy.cluster.dedicated-pool.idle-timeout", "0s"));
        assertMessageStartsWith("proxy.cluster.dedicated-pool.idle-timeout:",
                Map.of("proxy.cluster.dedicated-pool.idle-timeout", "soon"));
        assertMessageStartsWith("proxy.cluster.dedicated-pool.max-idle:",
                Map.of("proxy.cluster.dedicated-pool.max-idle", 3));
    }

    private static void assertMessageStartsWith(String prefix, Map<String, Object> settings) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ProxyConfigLoader.fromMap(settings));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
