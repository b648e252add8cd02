package io.rcproxy.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void flagsMapToKeys() {
        CommandLine c = CommandLine.parse("--port", "7000", "--bind=0.0.0.0", "--seeds", "a:1,b:2",
                "--log-level", "debug", "--config", "x.conf");
        assertEquals(Map.of("proxy.listen.port", "7000", "proxy.listen.bind", "0.0.0.0",
                "proxy.cluster.seeds", "a:1,b:2", "proxy.log.level", "debug"), c.settings());
        assertEquals(new File("x.conf"), c.configFile());
    }

    @Test
    void noFlagsMeansDefaults() {
        CommandLine c = CommandLine.parse();
        assertTrue(c.settings().isEmpty());
        assertNull(c.configFile());
    }

    @Test
    void helpWins() {
        assertTrue(CommandLine.parse("--port", "1", "--help").help());
        assertTrue(CommandLine.parse("-h").help());
    }

    @Test
    void anUnknownFlagIsNamed() {
        assertEquals("unknown option --prot (see --help)",
                assertThrows(InvalidConfigException.class, () -> CommandLine.parse("--prot", "1")).getMessage());
    }

    @Test
    void thereIsNoPasswordFlag() {
        assertThrows(InvalidConfigException.class, () -> CommandLine.parse("--password", "x"));
    }

    @Test
    void aFlagWithoutValueIsNamed() {
        assertEquals("--port: a value is required",
                assertThrows(InvalidConfigException.class, () -> CommandLine.parse("--port")).getMessage());
    }

    @Test
    void aFlagValueIsValidatedLikeAnyOther() {
        CommandLine c = CommandLine.parse("--port", "abc");
        assertEquals("proxy.listen.port: expected an integer 1-65535, got \"abc\"",
                assertThrows(InvalidConfigException.class,
                        () -> ProxyConfigLoader.load(c.settings(), c.configFile(), Map.of())).getMessage());
    }

    @Test
    void flagsOverrideTheEnvironment() {
        CommandLine c = CommandLine.parse("--port", "7002", "--log-level", "error");
        ProxyConfig config = ProxyConfigLoader.load(c.settings(), null,
                Map.of("PROXY_PORT", "7001", "PROXY_LOG_LEVEL", "debug", "PROXY_BIND", "0.0.0.0"));
        assertEquals(7002, config.port());
        assertEquals("ERROR", config.logLevel());
        assertEquals("0.0.0.0", config.bind());
    }

    @Test
    void usageNamesEveryEnvironmentVariable() {
        for (String variable : ProxyConfigLoader.ENVIRONMENT_KEYS.keySet()) {
            assertTrue(CommandLine.USAGE.contains(variable), variable);
        }
    }
}
