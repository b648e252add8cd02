package io.rcproxy.proxy.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.proxy.RunningProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CLIENT TRACKING, CACHING, TRACKINGINFO and GETREDIR answer byte for byte as a standalone redis-server
 * 7.0 does: the same command sequences go to both, each on a fresh connection, and every reply is
 * compared. {@code $REDIR} in a command stands for the id of a second connection to the same server, and
 * that id in a reply is written back as {@code $REDIR}. A command marked {@code !} runs on both but its
 * reply is not compared (HELLO: server version, id and mode differ by design).
 */
@ExtendWith(RedisClusterExtension.class)
class TrackingCommandsIT {

    private static RunningProxy proxy;
    private static Process standalone;
    private static int standalonePort;

    @BeforeAll
    static void start(RedisClusterProcess cluster) throws Exception {
        proxy = RunningProxy.start(cluster, Map.of());
        standalonePort = freePort();
        Path dir = Files.createTempDirectory("tracking-standalone");
        standalone = new ProcessBuilder("redis-server", "--port", Integer.toString(standalonePort), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (RawConnection c = new RawConnection(standalonePort)) {
                if (c.call("PING").equals("+PONG\r\n")) {
                    return;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("standalone redis-server did not start on " + standalonePort);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        try (RawConnection c = new RawConnection(standalonePort)) {
            c.send("SHUTDOWN", "NOSAVE");
        } catch (RuntimeException ignored) {
            // gone already
        }
        standalone.destroy();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs {@code commands} on a fresh connection to {@code port}, returning each reply. */
    private static List<String> run(int port, List<String[]> commands) {
        try (RawConnection c = new RawConnection(port); RawConnection target = new RawConnection(port)) {
            String id = Long.toString(target.id());
            List<String> replies = new ArrayList<>();
            for (String[] command : commands) {
                boolean compared = !command[0].startsWith("!");
                String[] args = command.clone();
                args[0] = args[0].replace("!", "");
                for (int i = 0; i < args.length; i++) {
                    args[i] = args[i].replace("$REDIR", id);
                }
                String reply = compared ? c.call(args).replace(":" + id + "\r\n", ":$REDIR\r\n") : skip(c.call(args));
                replies.add(String.join(" ", command) + " -> " + reply);
            }
            return replies;
        }
    }

    private static String skip(String reply) {
        return "(not compared)";
    }

    private static void sameAsRedis(String... lines) {
        List<String[]> commands = new ArrayList<>();
        for (String line : lines) {
            commands.add(line.split(" ", -1));
        }
        assertEquals(run(standalonePort, commands), run(proxy.port(), commands));
    }

    @Test
    void parseErrors() {
        sameAsRedis("CLIENT TRACKING", "CLIENT TRACKING maybe", "CLIENT TRACKING on foo", "CLIENT TRACKING on REDIRECT",
                "CLIENT TRACKING on REDIRECT abc", "CLIENT TRACKING on REDIRECT 999999", "CLIENT TRACKING on PREFIX a",
                "CLIENT TRACKING on BCAST OPTIN", "CLIENT TRACKING on BCAST OPTOUT", "CLIENT TRACKING on OPTIN OPTOUT",
                "CLIENT TRACKING on REDIRECT $REDIR REDIRECT abc", "CLIENT TRACKING on BCAST PREFIX",
                "CLIENT TRACKING off OPTIN OPTOUT", "CLIENT TRACKINGINFO", "CLIENT GETREDIR",
                "CLIENT TRACKINGINFO x", "CLIENT GETREDIR x", "CLIENT CACHING", "CLIENT CACHING yes x");
    }

    @Test
    void defaultModeWithRedirect() {
        sameAsRedis("CLIENT TRACKING on REDIRECT $REDIR NOLOOP", "CLIENT TRACKINGINFO", "CLIENT GETREDIR",
                "CLIENT TRACKING on", "CLIENT GETREDIR", "CLIENT TRACKINGINFO", "CLIENT TRACKING on BCAST",
                "CLIENT TRACKING off", "CLIENT TRACKINGINFO", "CLIENT GETREDIR");
    }

    @Test
    void optinAndOptout() {
        sameAsRedis("CLIENT CACHING yes", "CLIENT TRACKING on", "CLIENT CACHING yes", "CLIENT CACHING no",
                "CLIENT TRACKING on OPTIN", "CLIENT CACHING no", "CLIENT CACHING maybe", "CLIENT CACHING yes",
                "CLIENT TRACKINGINFO", "GET k", "CLIENT TRACKINGINFO", "CLIENT TRACKING on OPTOUT",
                "CLIENT TRACKING off", "CLIENT TRACKING on OPTOUT", "CLIENT CACHING no", "CLIENT TRACKINGINFO",
                "CLIENT GETREDIR", "CLIENT TRACKINGINFO");
    }

    @Test
    void broadcastPrefixes() {
        sameAsRedis("CLIENT TRACKING on BCAST PREFIX ab PREFIX a",
                "CLIENT TRACKING on BCAST PREFIX ab PREFIX cd NOLOOP",
                "CLIENT TRACKING on BCAST PREFIX abc", "CLIENT TRACKING on BCAST PREFIX ab",
                "CLIENT TRACKING on BCAST PREFIX b", "CLIENT TRACKINGINFO",
                "CLIENT TRACKING on BCAST PREFIX a PREFIX a",
                "CLIENT TRACKING on", "CLIENT TRACKING on BCAST", "CLIENT TRACKINGINFO", "CLIENT TRACKING off",
                "CLIENT TRACKING on BCAST PREFIX ", "CLIENT TRACKINGINFO", "RESET", "CLIENT TRACKINGINFO");
    }

    @Test
    void resp3Replies() {
        sameAsRedis("!HELLO 3 SETNAME x", "CLIENT TRACKINGINFO", "CLIENT TRACKING on BCAST PREFIX p: PREFIX q:",
                "CLIENT TRACKINGINFO", "CLIENT TRACKING off", "CLIENT TRACKING on OPTIN", "CLIENT CACHING yes",
                "CLIENT TRACKINGINFO", "CLIENT GETREDIR");
    }
}
