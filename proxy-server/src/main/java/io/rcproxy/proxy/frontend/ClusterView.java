package io.rcproxy.proxy.frontend;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.slot.SlotHash;
import io.rcproxy.cluster.topology.SlotMap;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.Replies;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The CLUSTER subcommands the proxy answers itself. CLUSTER INFO, KEYSLOT and MYID always: the proxy is
 * one node (its id is INFO's {@code run_id}), and {@code cluster_state} and the slot counts say whether the
 * cluster behind it serves every slot. CLUSTER SLOTS, SHARDS and NODES only with
 * {@code proxy.listen.present-as-cluster = true}: then the proxy is a one-node cluster owning all 16384
 * slots at the address the client connected to; otherwise they are refused, as a standalone Redis refuses
 * them.
 *
 * <p>Thread: the client's event loop. Replies are new buffers the caller owns.
 */
final class ClusterView {

    static final String DISABLED = "ERR This instance has cluster support disabled";

    private ClusterView() {
    }

    static ByteBuf info(RedisRequest request, ClientHandler client) {
        SlotMap map = client.context().client().slotMap();
        int covered = map.coveredSlots();
        String text = "cluster_state:" + (map.coversAllSlots() ? "ok" : "fail") + "\r\n"
                + "cluster_slots_assigned:" + covered + "\r\n"
                + "cluster_slots_ok:" + covered + "\r\n"
                + "cluster_slots_pfail:0\r\n"
                + "cluster_slots_fail:" + (SlotMap.SLOT_COUNT - covered) + "\r\n"
                + "cluster_known_nodes:1\r\n"
                + "cluster_size:1\r\n"
                + "cluster_current_epoch:1\r\n"
                + "cluster_my_epoch:1\r\n"
                + "cluster_stats_messages_sent:0\r\n"
                + "cluster_stats_messages_received:0\r\n"
                + "total_cluster_links_buffer_limit_exceeded:0\r\n";
        return Replies.bulk(client.alloc(), text);
    }

    static ByteBuf keyslot(RedisRequest request, ClientHandler client) {
        ByteBuf key = request.frame();
        return Replies.integer(client.alloc(), SlotHash.slot(key, request.argOffset(2), request.argLength(2)));
    }

    static ByteBuf myid(RedisRequest request, ClientHandler client) {
        return Replies.bulk(client.alloc(), client.context().runId());
    }

    static ByteBuf slots(RedisRequest request, ClientHandler client) {
        if (!client.context().clusterMode()) {
            return Replies.error(client.alloc(), DISABLED);
        }
        InetSocketAddress self = self(client);
        ByteBuf out = client.alloc().buffer(128);
        Replies.arrayHeader(out, 1);
        Replies.arrayHeader(out, 3);
        Replies.appendInteger(out, 0);
        Replies.appendInteger(out, SlotMap.SLOT_COUNT - 1);
        Replies.arrayHeader(out, 4);
        Replies.appendBulk(out, host(self));
        Replies.appendInteger(out, self.getPort());
        Replies.appendBulk(out, client.context().runId());
        Replies.arrayHeader(out, 0);
        return out;
    }

    static ByteBuf shards(RedisRequest request, ClientHandler client) {
        if (!client.context().clusterMode()) {
            return Replies.error(client.alloc(), DISABLED);
        }
        InetSocketAddress self = self(client);
        ByteBuf out = client.alloc().buffer(256);
        Replies.arrayHeader(out, 1);
        Replies.arrayHeader(out, 4);
        Replies.appendBulk(out, "slots");
        Replies.arrayHeader(out, 2);
        Replies.appendInteger(out, 0);
        Replies.appendInteger(out, SlotMap.SLOT_COUNT - 1);
        Replies.appendBulk(out, "nodes");
        Replies.arrayHeader(out, 1);
        Replies.arrayHeader(out, 14);
        Replies.appendBulk(out, "id");
        Replies.appendBulk(out, client.context().runId());
        Replies.appendBulk(out, "port");
        Replies.appendInteger(out, self.getPort());
        Replies.appendBulk(out, "ip");
        Replies.appendBulk(out, host(self));
        Replies.appendBulk(out, "endpoint");
        Replies.appendBulk(out, host(self));
        Replies.appendBulk(out, "role");
        Replies.appendBulk(out, "master");
        Replies.appendBulk(out, "replication-offset");
        Replies.appendInteger(out, 0);
        Replies.appendBulk(out, "health");
        Replies.appendBulk(out, "online");
        return out;
    }

    static ByteBuf nodes(RedisRequest request, ClientHandler client) {
        if (!client.context().clusterMode()) {
            return Replies.error(client.alloc(), DISABLED);
        }
        InetSocketAddress self = self(client);
        String line = client.context().runId() + " " + host(self) + ":" + self.getPort() + "@"
                + (self.getPort() + 10000) + " myself,master - 0 0 1 connected 0-" + (SlotMap.SLOT_COUNT - 1) + "\n";
        return Replies.bulk(client.alloc(), line);
    }

    /** The address the client reached the proxy at: the one a cluster client must use. */
    private static InetSocketAddress self(ClientHandler client) {
        SocketAddress local = client.session().channel().localAddress();
        if (local instanceof InetSocketAddress inet) {
            return inet;
        }
        return new InetSocketAddress(client.context().config().bind(), client.context().config().port());
    }

    private static String host(InetSocketAddress address) {
        return address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    }
}
