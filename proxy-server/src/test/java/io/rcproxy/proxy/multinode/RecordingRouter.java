package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.Shard;
import io.rcproxy.cluster.topology.SlotMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test fixture: a {@link PartRouter} that keeps the parts it is given, so a test can read what would have
 * gone to the cluster and answer each part itself. {@link #close()} fails what is left unanswered, which
 * releases its frame.
 */
final class RecordingRouter implements PartRouter, AutoCloseable {

    /** One part as sent: to a slot's owner (node null) or straight to a node (slot ANY_SLOT). */
    record Sent(ClusterNode node, int slot, String frame, ClusterCommand part) {
    }

    final List<Sent> sent = new ArrayList<>();
    final List<Integer> alone = new ArrayList<>();
    SlotMap map;
    int refreshes;

    RecordingRouter(SlotMap map) {
        this.map = map;
    }

    /** A slot map whose slots are shared out evenly, in order, among {@code masters}. */
    static SlotMap mapOf(ClusterNode... masters) {
        ClusterNode[] owners = new ClusterNode[SlotMap.SLOT_COUNT];
        List<Shard> shards = new ArrayList<>();
        int per = SlotMap.SLOT_COUNT / masters.length;
        for (int i = 0; i < masters.length; i++) {
            int end = i == masters.length - 1 ? SlotMap.SLOT_COUNT : (i + 1) * per;
            Arrays.fill(owners, i * per, end, masters[i]);
            shards.add(new Shard(masters[i], List.of()));
        }
        return SlotMap.of(owners, shards, 1);
    }

    @Override
    public void dispatch(ClusterCommand part) {
        sent.add(new Sent(null, part.slot(), text(part.frame()), part));
    }

    @Override
    public void sendTo(ClusterNode node, ClusterCommand part) {
        sent.add(new Sent(node, part.slot(), text(part.frame()), part));
    }

    /** Recorded as {@link #sendTo}; {@link #alone} lists the parts sent on connections of their own. */
    @Override
    public void sendAlone(ClusterNode node, ClusterCommand part) {
        alone.add(sent.size());
        sendTo(node, part);
    }

    @Override
    public SlotMap slotMap() {
        return map;
    }

    @Override
    public void requestRefresh() {
        refreshes++;
    }

    /** Answers part {@code index} with {@code reply} (RESP text). */
    void answer(int index, String reply) {
        sent.get(index).part().complete(Unpooled.copiedBuffer(reply, StandardCharsets.US_ASCII));
    }

    private static String text(ByteBuf frame) {
        return frame.toString(frame.readerIndex(), frame.readableBytes(), StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        for (Sent s : sent) {
            s.part().fail("ERR test over");
        }
    }
}
