package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.command.Requests;
import java.util.List;
import io.rcproxy.proxy.reply.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** INFO asks the masters only for the sections they contribute to, and a master that fails is left out. */
class InfoCommandTest {

    private static final ClusterNode A = ClusterNode.of("127.0.0.1", 17001);
    private static final ClusterNode B = ClusterNode.of("127.0.0.1", 17002);

    private final CommandTable table = CommandTable.builtIn();
    private final Requests requests = new Requests();
    private final RecordingRouter router = new RecordingRouter(RecordingRouter.mapOf(A, B));
    private final MultiNodeCommands commands = new MultiNodeCommands(new FakeInfoSource(), router, 3, 5);
    private final RecordingReply client = new RecordingReply();

    @AfterEach
    void close() {
        router.close();
        requests.close();
    }

    private void info(String... args) {
        commands.start(table.lookup("info"), requests.of(args), client, PooledByteBufAllocator.DEFAULT, Protocol.RESP2);
    }

    private static String bulk(String text) {
        return "$" + text.length() + "\r\n" + text + "\r\n";
    }

    @Test
    void theMastersAreAskedForTheirSectionsOnly() {
        info("info", "clients", "memory");
        assertEquals(2, router.sent.size());
        assertEquals("*2\r\n$4\r\nINFO\r\n$6\r\nmemory\r\n", router.sent.get(0).frame());
        router.answer(0, bulk("# Memory\r\nused_memory:100\r\n"));
        router.answer(1, bulk("# Memory\r\nused_memory:50\r\n"));
        String reply = client.reply();
        assertTrue(reply.contains("# Clients\r\nconnected_clients:1\r\n"), reply);
        assertTrue(reply.contains("# Memory\r\nused_memory:150\r\nused_memory_human:150B\r\n"), reply);
    }

    @Test
    void aMasterThatFailsIsLeftOutOfTheSums() {
        info("info", "memory");
        router.answer(0, "-LOADING Redis is loading the dataset in memory\r\n");
        router.answer(1, bulk("# Memory\r\nused_memory:50\r\n"));
        assertEquals(bulk("# Memory\r\nused_memory:50\r\nused_memory_human:50B\r\n"), client.reply());
    }

    @Test
    void theProxysOwnSectionsNeedNoMaster() {
        info("info", "replication", "cluster");
        assertEquals("*2\r\n$4\r\nINFO\r\n$11\r\nreplication\r\n", router.sent.get(0).frame(),
                "the offsets are summed; the cluster section is the proxy's");
        router.answer(0, bulk("# Replication\r\nrole:master\r\nmaster_repl_offset:5\r\n"));
        router.answer(1, bulk("# Replication\r\nrole:master\r\nmaster_repl_offset:7\r\n"));
        String reply = client.reply();
        assertTrue(reply.contains("\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"), reply);
        assertTrue(reply.contains("master_repl_offset:12\r\n"), reply);
        assertTrue(reply.endsWith("# Cluster\r\ncluster_enabled:0\r\n\r\n"), reply);
    }

    @Test
    void serverAndClientsAloneAreAnsweredWithoutTheCluster() {
        info("info", "server", "clients");
        assertEquals(List.of(), router.sent);
        String reply = client.reply();
        assertTrue(reply.contains("redis_version:7.0.15\r\n") && reply.contains("tcp_port:6399\r\n"), reply);
    }
}
