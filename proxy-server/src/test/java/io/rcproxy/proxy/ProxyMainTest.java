package io.rcproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real {@code main} in a child JVM, as a user or a container would, and checks how it exits. */
class ProxyMainTest {

    @TempDir
    Path dir;

    private record Exit(int code, String stdout, String stderr) {
    }

    private Exit run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Xmx64m");
        command.add(ProxyMain.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        ProxyMainTest.clearProxyVariables(builder.environment());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the proxy did not exit within 60 s; stderr:\n" + read("stderr"));
        }
        return new Exit(process.exitValue(), read("stdout"), read("stderr"));
    }

    private static void clearProxyVariables(Map<String, String> environment) {
        environment.keySet().removeIf(name -> name.startsWith("PROXY_"));
    }

    private String read(String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void aBadValueInTheConfigFileExitsWithTwoNamingTheKey() throws Exception {
        Path conf = dir.resolve("proxy.conf");
        Files.writeString(conf, "proxy.listen.port = \"abc\"\n");
        Exit exit = run(Map.of(), "--config", conf.toString());
        assertEquals(2, exit.code(), exit.stderr());
        assertTrue(exit.stderr().contains("proxy.listen.port: expected an integer 1-65535, got \"abc\""),
                exit.stderr());
    }

    @Test
    void aBulkLimitTheJvmCannotHoldExitsWithTwoNamingTheKey() throws Exception {
        // The child JVM has -Xmx64m, so 64 MiB of direct memory: a 32 MiB budget cannot hold 512 MB bulks.
        Path conf = dir.resolve("proxy.conf");
        Files.writeString(conf, "proxy.limits.max-bulk-length = 536870912\n");
        Exit exit = run(Map.of(), "--config", conf.toString());
        assertEquals(2, exit.code(), exit.stderr());
        assertTrue(exit.stderr().contains("proxy.limits.max-bulk-length: 536870912 bytes do not fit in"
                + " proxy.limits.buffer-memory (33554432 bytes)"), exit.stderr());
    }

    @Test
    void aBadEnvironmentVariableExitsWithTwoNamingTheKey() throws Exception {
        Exit exit = run(Map.of("PROXY_LOG_LEVEL", "LOUD"));
        assertEquals(2, exit.code(), exit.stderr());
        assertTrue(exit.stderr().contains("proxy.log.level"), exit.stderr());
    }

    @Test
    void anUnknownKeyExitsWithTwoNamingIt() throws Exception {
        Path conf = dir.resolve("proxy.conf");
        Files.writeString(conf, "proxy.listen.prot = 6380\n");
        Exit exit = run(Map.of(), "--config", conf.toString());
        assertEquals(2, exit.code(), exit.stderr());
        assertTrue(exit.stderr().contains("proxy.listen.prot"), exit.stderr());
    }

    @Test
    void anUnreachableSeedWithFailFastStartupExitsWithTwoAndNeverPrintsThePassword() throws Exception {
        Exit exit = run(Map.of("PROXY_PASSWORD", "hunter2"), "--seeds", "127.0.0.1:1", "--fail-fast-startup", "true");
        assertEquals(2, exit.code(), exit.stderr());
        assertTrue(exit.stderr().contains("127.0.0.1:1"), exit.stderr());
        assertTrue(exit.stderr().contains("password=***"), exit.stderr());
        assertFalse(exit.stderr().contains("hunter2"), exit.stderr());
    }

    @Test
    void helpPrintsUsageAndExitsWithZero() throws Exception {
        Exit exit = run(Map.of(), "--help");
        assertEquals(0, exit.code(), exit.stderr());
        assertTrue(exit.stdout().startsWith("Usage: "), exit.stdout());
    }
}
