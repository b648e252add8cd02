package io.rcproxy.cluster.internal.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.cluster.resp.RespValue.ArrayReply;
import io.rcproxy.cluster.resp.RespValue.BulkString;
import io.rcproxy.cluster.resp.RespValue.IntegerReply;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.HostAndPort;
import io.rcproxy.cluster.topology.Shard;
import io.rcproxy.cluster.topology.SlotMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopologyParserTest {

    private static final HostAndPort QUERIED = new HostAndPort("10.1.1.1", 7000);

    private static BulkString bulk(String s) {
        return BulkString.of(s);
    }

    private static IntegerReply integer(long v) {
        return new IntegerReply(v);
    }

    private static ArrayReply shardNode(String ip, int port, String role) {
        return shardNode(ip, port, role, "online");
    }

    private static ArrayReply shardNode(String ip, int port, String role, String health) {
        return ArrayReply.of(bulk("id"), bulk("abc" + port), bulk("port"), integer(port), bulk("ip"), bulk(ip),
                bulk("endpoint"), bulk(ip), bulk("role"), bulk(role), bulk("replication-offset"), integer(0),
                bulk("health"), bulk(health));
    }

    /** Only online replicas serve reads: one still loading its first sync, or failed, is not readable. */
    @Test
    void onlyOnlineReplicasAreReadable() {
        RespValue reply = ArrayReply.of(
                ArrayReply.of(bulk("slots"), ArrayReply.of(integer(0), integer(16383)),
                        bulk("nodes"), ArrayReply.of(shardNode("127.0.0.1", 27201, "master"),
                                shardNode("127.0.0.1", 27202, "replica", "online"),
                                shardNode("127.0.0.1", 27203, "replica", "loading"),
                                shardNode("127.0.0.1", 27204, "replica", "fail"))));
        SlotMap map = TopologyParser.parseShards(reply, QUERIED, 1);

        assertEquals(3, map.shards().get(0).replicas().size());
        assertEquals(List.of(ClusterNode.of("127.0.0.1", 27202)), map.shards().get(0).readableReplicas());
        SlotMap allOnline = TopologyParser.parseShards(ArrayReply.of(
                ArrayReply.of(bulk("slots"), ArrayReply.of(integer(0), integer(16383)),
                        bulk("nodes"), ArrayReply.of(shardNode("127.0.0.1", 27201, "master"),
                                shardNode("127.0.0.1", 27202, "replica", "online"),
                                shardNode("127.0.0.1", 27203, "replica", "online"),
                                shardNode("127.0.0.1", 27204, "replica", "fail")))), QUERIED, 2);
        assertFalse(map.sameShards(allOnline), "a replica done loading is a change to publish");
    }

    @Test
    void eachReplicasLagIsItsDistanceBehindTheMastersOffset() {
        RespValue reply = ArrayReply.of(
                ArrayReply.of(bulk("slots"), ArrayReply.of(integer(0), integer(16383)),
                        bulk("nodes"), ArrayReply.of(withOffset(shardNode("127.0.0.1", 27211, "master"), 5000),
                                withOffset(shardNode("127.0.0.1", 27212, "replica"), 4900),
                                withOffset(shardNode("127.0.0.1", 27213, "replica"), 5100))));
        Shard shard = TopologyParser.parseShards(reply, QUERIED, 1).shards().get(0);

        assertEquals(100, shard.lagOf(ClusterNode.of("127.0.0.1", 27212)));
        assertEquals(0, shard.lagOf(ClusterNode.of("127.0.0.1", 27213)), "gossip ahead of the master's: no lag");
    }

    /** A node entry with another replication-offset. */
    private static ArrayReply withOffset(ArrayReply node, long offset) {
        List<RespValue> fields = new java.util.ArrayList<>(node.elements());
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (fields.get(i).equals(bulk("replication-offset"))) {
                fields.set(i + 1, integer(offset));
            }
        }
        return ArrayReply.of(fields.toArray(new RespValue[0]));
    }

    /** CLUSTER SHARDS as Redis 7.0 gives it after a failover: the dead master heads its own slotless shard. */
    @Test
    void failedSlotlessMasterIsNotCountedAmongTheMasters() {
        RespValue reply = ArrayReply.of(
                ArrayReply.of(bulk("slots"), ArrayReply.of(integer(0), integer(8191)),
                        bulk("nodes"), ArrayReply.of(shardNode("127.0.0.1", 27101, "master"))),
                ArrayReply.of(bulk("slots"), ArrayReply.of(),
                        bulk("nodes"), ArrayReply.of(shardNode("127.0.0.1", 27102, "master", "fail"))),
                ArrayReply.of(bulk("slots"), ArrayReply.of(integer(8192), integer(16383)),
                        bulk("nodes"), ArrayReply.of(shardNode("127.0.0.1", 27112, "master"))));
        SlotMap map = TopologyParser.parseShards(reply, QUERIED, 1);

        assertEquals(List.of(ClusterNode.of("127.0.0.1", 27101), ClusterNode.of("127.0.0.1", 27112)),
                map.masters());
        assertEquals(map.masters(), map.owningNodes());
        assertTrue(map.coversAllSlots());
    }

    @Test
    void failedMasterKeepsItsSlotsUntilAReplicaTakesOverButIsNotAHealthyMaster() {
        ClusterNode failed = ClusterNode.of("127.0.0.1", 27202);
        RespValue reply = ArrayReply.of(
                ArrayReply.of(bulk("slots"), ArrayReply.of(integer(0), integer(8191)),
                        bulk("nodes"), ArrayReply.of(shardNode("127.0.0.1", 27201, "master"))),
                ArrayReply.of(bulk("slots"), ArrayReply.of(integer(8192), integer(16383)),
                        bulk("nodes"), ArrayReply.of(shardNode("127.0.0.1", 27202, "master", "fail"),
                                shardNode("127.0.0.1", 27212, "replica"))));
        SlotMap map = TopologyParser.parseShards(reply, QUERIED, 1);

        assertSame(failed, map.owner(9000));
        assertEquals(List.of(ClusterNode.of("127.0.0.1", 27201)), map.masters());
        assertEquals(List.of(ClusterNode.of("127.0.0.1", 27201), failed), map.owningNodes());
        assertEquals(Set.of(failed), map.failed());
    }

    @Test
    void shardsInAnotherOrderGiveTheSameRouting() {
        ArrayReply one = ArrayReply.of(bulk("slots"), ArrayReply.of(integer(0), integer(8191)),
                bulk("nodes"), ArrayReply.of(shardNode("127.0.0.1", 27301, "master"),
                        shardNode("127.0.0.1", 27311, "replica"), shardNode("127.0.0.1", 27321, "replica")));
        ArrayReply two = ArrayReply.of(bulk("slots"), ArrayReply.of(integer(8192), integer(16383)),
                bulk("nodes"), ArrayReply.of(shardNode("127.0.0.1", 27302, "master")));
        ArrayReply oneReordered = ArrayReply.of(bulk("slots"), ArrayReply.of(integer(0), integer(8191)),
                bulk("nodes"), ArrayReply.of(shardNode("127.0.0.1", 27321, "replica"),
                        shardNode("127.0.0.1", 27301, "master"), shardNode("127.0.0.1", 27311, "replica")));
        SlotMap a = TopologyParser.parseShards(ArrayReply.of(one, two), QUERIED, 1);
        SlotMap b = TopologyParser.parseShards(ArrayReply.of(two, oneReordered), QUERIED, 2);

        assertTrue(a.sameRouting(b));
        assertTrue(a.sameShards(b));
        assertEquals(a.masters(), b.masters());
    }

    /** A node of a TLS cluster with both ports and an announced hostname as its endpoint. */
    private static ArrayReply tlsNode(int port, int tlsPort, String hostname) {
        return ArrayReply.of(bulk("id"), bulk("t" + port), bulk("port"), integer(port), bulk("tls-port"),
                integer(tlsPort), bulk("ip"), bulk("10.0.0.9"), bulk("endpoint"), bulk(hostname),
                bulk("hostname"), bulk(hostname), bulk("role"), bulk("master"), bulk("health"), bulk("online"));
    }

    @Test
    void overTlsTheTlsPortAndTheAnnouncedEndpointAreDialed() {
        RespValue reply = ArrayReply.of(ArrayReply.of(bulk("slots"), ArrayReply.of(integer(0), integer(16383)),
                bulk("nodes"), ArrayReply.of(tlsNode(6379, 6380, "redis-0.example"))));
        assertEquals(List.of(ClusterNode.of("redis-0.example", 6380)),
                TopologyParser.parseShards(reply, QUERIED, 1, true).masters());
        assertEquals(List.of(ClusterNode.of("10.0.0.9", 6379)),
                TopologyParser.parseShards(reply, QUERIED, 1, false).masters(), "plain TCP: ip and port, as before");
        RespValue tlsOnly = ArrayReply.of(ArrayReply.of(bulk("slots"), ArrayReply.of(integer(0), integer(16383)),
                bulk("nodes"), ArrayReply.of(ArrayReply.of(bulk("id"), bulk("x"), bulk("tls-port"), integer(6390),
                        bulk("ip"), bulk("10.0.0.8"), bulk("endpoint"), bulk("?"), bulk("role"), bulk("master")))));
        assertEquals(List.of(ClusterNode.of("10.0.0.8", 6390)),
                TopologyParser.parseShards(tlsOnly, QUERIED, 1, true).masters(), "endpoint ? falls back to the ip");
    }

    @Test
    void shardsReplyFillsEveryRangeWithItsMaster() {
        RespValue reply = ArrayReply.of(
                ArrayReply.of(bulk("slots"), ArrayReply.of(integer(0), integer(99), integer(200), integer(299)),
                        bulk("nodes"), ArrayReply.of(shardNode("127.0.0.1", 27001, "master"),
                                shardNode("127.0.0.1", 27011, "replica"))),
                ArrayReply.of(bulk("slots"), ArrayReply.of(integer(100), integer(199)),
                        bulk("nodes"), ArrayReply.of(shardNode("127.0.0.1", 27002, "master"))));
        SlotMap map = TopologyParser.parseShards(reply, QUERIED, 7);

        ClusterNode first = ClusterNode.of("127.0.0.1", 27001);
        ClusterNode second = ClusterNode.of("127.0.0.1", 27002);
        assertSame(first, map.owner(0));
        assertSame(first, map.owner(99));
        assertSame(second, map.owner(100));
        assertSame(second, map.owner(199));
        assertSame(first, map.owner(250));
        assertNull(map.owner(300));
        assertEquals(300, map.coveredSlots());
        assertEquals(List.of(ClusterNode.of("127.0.0.1", 27011)), map.shards().get(0).replicas());
        assertEquals(7, map.epoch());
    }

    @Test
    void slotsReplyGroupsRangesByMasterAndKeepsReplicas() {
        RespValue reply = ArrayReply.of(
                ArrayReply.of(integer(0), integer(8191),
                        ArrayReply.of(bulk("127.0.0.1"), integer(27021), bulk("id1")),
                        ArrayReply.of(bulk("127.0.0.1"), integer(27031), bulk("id2"))),
                ArrayReply.of(integer(8192), integer(16383),
                        ArrayReply.of(bulk("127.0.0.1"), integer(27022), bulk("id3"))));
        SlotMap map = TopologyParser.parseSlots(reply, QUERIED, 1);
        assertSame(ClusterNode.of("127.0.0.1", 27021), map.owner(8191));
        assertSame(ClusterNode.of("127.0.0.1", 27022), map.owner(8192));
        assertEquals(16384, map.coveredSlots());
        assertEquals(2, map.shards().size());
        assertEquals(List.of(ClusterNode.of("127.0.0.1", 27031)), map.shards().get(0).replicas());
    }

    @Test
    void unknownEndpointMeansTheQueriedHost() {
        RespValue reply = ArrayReply.of(ArrayReply.of(integer(0), integer(10),
                ArrayReply.of(bulk(""), integer(27041), bulk("id"))));
        SlotMap map = TopologyParser.parseSlots(reply, QUERIED, 1);
        assertSame(ClusterNode.of("10.1.1.1", 27041), map.owner(5));
    }

    @Test
    void slotRangeOutsideTheSlotSpaceIsRejected() {
        RespValue reply = ArrayReply.of(ArrayReply.of(integer(0), integer(16384),
                ArrayReply.of(bulk("127.0.0.1"), integer(27051), bulk("id"))));
        assertThrows(IllegalArgumentException.class, () -> TopologyParser.parseSlots(reply, QUERIED, 1));
    }

    @Test
    void nonArrayReplyIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> TopologyParser.parseShards(new RespValue.ErrorReply("ERR nope"), QUERIED, 1));
    }
}
