package io.rcproxy.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.cluster.testkit.PrivateCluster;
import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisErrorReply;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import io.rcproxy.cluster.topology.HostAndPort;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Backend authentication against one cluster whose nodes require a password, shared by the class. */
@ExtendWith(RedisClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterClientAuthIT {

    private static final String PASSWORD = "s3cret-for-tests";

    private RedisClusterProcess cluster;

    @BeforeAll
    void cluster(@PrivateCluster(masters = 3, password = PASSWORD) RedisClusterProcess privateCluster) {
        this.cluster = privateCluster;
    }

    private ClusterClientConfig config() {
        List<HostAndPort> seeds = cluster.seeds().stream().map(HostAndPort::parse).toList();
        return ClusterClientConfig.builder(seeds).eventLoops(2).build();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void nodesRefuseConnectionsThatDoNotAuthenticate() {
        try (RedisTestConnection c = RedisTestConnection.open(RedisClusterProcess.HOST, cluster.masterPorts().get(0))) {
            Object reply = c.callRaw("GET", "auth-it:x");
            assertTrue(reply instanceof RedisErrorReply e && e.message().startsWith("NOAUTH"), String.valueOf(reply));
        }
    }

    @Test
    void withThePasswordEveryConnectionAuthenticatesBeforeItsCommands() throws Exception {
        try (ClusterClient client = ClusterClient.start(
                config().toBuilder().connectionsPerNode(2).auth("", PASSWORD).build())) {
            assertTrue(client.slotMap().coversAllSlots());
            // Many keys at once: the first commands of every connection are queued while it connects and
            // must still run after AUTH.
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                writes.add(client.set(("auth-it:" + i).getBytes(UTF_8), ("v" + i).getBytes(UTF_8))
                        .toCompletableFuture());
            }
            CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 300; i += 7) {
                assertArrayEquals(("v" + i).getBytes(UTF_8), await(client.get(("auth-it:" + i).getBytes(UTF_8))));
            }
        }
    }

    @Test
    void anAclUserAuthenticatesWithUsernameAndPassword() throws Exception {
        for (int port : cluster.masterPorts()) {
            try (RedisTestConnection c = cluster.connect(port)) {
                c.call("ACL", "SETUSER", "proxy-it", "on", ">user-pass", "~*", "+@all");
            }
        }
        try (ClusterClient client = ClusterClient.start(config().toBuilder().auth("proxy-it", "user-pass").build())) {
            await(client.set("auth-it:user".getBytes(UTF_8), "u".getBytes(UTF_8)));
            assertArrayEquals("u".getBytes(UTF_8), await(client.get("auth-it:user".getBytes(UTF_8))));
            RespValue whoami = await(client.execute("ACL", "WHOAMI"));
            assertEquals("proxy-it", new String(((RespValue.BulkString) whoami).bytes(), UTF_8));
        }
    }

    @Test
    void aWrongPasswordFailsStartUpWithWrongpass() {
        ClusterUnavailableException e = assertThrows(ClusterUnavailableException.class,
                () -> ClusterClient.start(config().toBuilder().auth("", "not-the-password").build()).close());
        assertTrue(e.getMessage().contains("WRONGPASS"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), e.getMessage());
    }

    @Test
    void withoutAPasswordStartUpFailsWithNoauth() {
        ClusterUnavailableException e = assertThrows(ClusterUnavailableException.class,
                () -> ClusterClient.start(config()).close());
        assertTrue(e.getMessage().contains("NOAUTH"), e.getMessage());
    }

    @Test
    void aPasswordChangedUnderARunningClientFailsCommandsWithWrongpass() throws Exception {
        // A second user whose password we change while the client runs, so the other tests keep theirs.
        for (int port : cluster.masterPorts()) {
            try (RedisTestConnection c = cluster.connect(port)) {
                c.call("ACL", "SETUSER", "rotating", "on", ">old-pass", "~*", "+@all");
            }
        }
        try (ClusterClient client = ClusterClient.start(config().toBuilder().connectionsPerNode(1)
                .auth("rotating", "old-pass").build())) {
            await(client.set("auth-it:rotating".getBytes(UTF_8), "1".getBytes(UTF_8)));
            for (int port : cluster.masterPorts()) {
                try (RedisTestConnection c = cluster.connect(port)) {
                    c.call("ACL", "SETUSER", "rotating", "resetpass", ">new-pass");
                    c.call("CLIENT", "KILL", "USER", "rotating"); // existing connections must reconnect
                }
            }
            String error = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (error == null && System.nanoTime() < deadline) {
                RespValue reply = await(client.execute("GET", "auth-it:rotating"));
                if (reply instanceof RespValue.ErrorReply e && e.message().startsWith("WRONGPASS")) {
                    error = e.message();
                }
                Thread.sleep(20);
            }
            assertTrue(error != null && error.startsWith("WRONGPASS"), "no WRONGPASS within 10 s: " + error);
        }
    }
}
