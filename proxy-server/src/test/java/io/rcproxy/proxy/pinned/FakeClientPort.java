package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.protocol.RespRequestDecoder;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.PauseReason;
import io.rcproxy.proxy.reply.PendingReply;
import io.rcproxy.proxy.reply.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A client as pinned code sees it, with no channel and no cluster: records what it is told (answers and
 * pushes in order, as text; pauses; CLIENT LIST facts) and releases every buffer and request handed in.
 * Anything that would reach the cluster fails the test.
 */
final class FakeClientPort implements ClientPort {

    final List<String> replies = new ArrayList<>();
    final Set<PauseReason> paused = EnumSet.noneOf(PauseReason.class);
    final List<RedisRequest> requests = new ArrayList<>();
    int queued = -1;
    boolean blocked;
    int[] subscriptions = {0, 0, 0};
    Protocol protocol = Protocol.RESP2;

    /** A request decoded from its arguments the way a client's bytes are. */
    RedisRequest request(String... args) {
        StringBuilder resp = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            resp.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
        }
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        channel.writeInbound(Unpooled.copiedBuffer(resp, StandardCharsets.US_ASCII));
        RedisRequest request = channel.readInbound();
        channel.finishAndReleaseAll();
        requests.add(request);
        return request;
    }

    @Override
    public ByteBufAllocator alloc() {
        return PooledByteBufAllocator.DEFAULT;
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public LoopRouter router() {
        throw new AssertionError("the test expected no cluster access");
    }

    @Override
    public void answer(RedisRequest request, ByteBuf reply) {
        request.release();
        push(reply);
    }

    @Override
    public int maxRedirects() {
        return 5;
    }

    @Override
    public PendingReply enqueue(ByteBuf frame, int slot, int redirects) {
        throw new AssertionError("the test expected no reply from the cluster");
    }

    @Override
    public PendingReply forwardOn(NodeConnection connection, RedisRequest request, int slot) {
        throw new AssertionError("the test expected no dedicated connection");
    }

    @Override
    public void forwardShared(RedisRequest request, int slot) {
        throw new AssertionError("the test expected no shared connection");
    }

    @Override
    public void waitForReplicas(RedisRequest request) {
        request.release();
        replies.add("WAIT on shared connections");
    }

    @Override
    public void push(ByteBuf frame) {
        try {
            replies.add(frame.toString(StandardCharsets.ISO_8859_1));
        } finally {
            frame.release();
        }
    }

    @Override
    public void reroute(RedisRequest request) {
        throw new AssertionError("the test expected no held request");
    }

    @Override
    public void pause(PauseReason reason) {
        paused.add(reason);
    }

    @Override
    public void resume(PauseReason reason) {
        paused.remove(reason);
    }

    @Override
    public long unwrittenBytes() {
        return 0;
    }

    @Override
    public void closeNow() {
        throw new AssertionError("the test expected the client to stay");
    }

    @Override
    public long clientId() {
        return 7;
    }

    @Override
    public String address() {
        return "127.0.0.1:1";
    }

    @Override
    public long pubsubOutputLimit() {
        return 1 << 20;
    }

    @Override
    public void transactionQueued(int count) {
        this.queued = count;
    }

    @Override
    public void blocked(boolean on) {
        this.blocked = on;
    }

    @Override
    public void subscriptions(int channels, int patterns, int shardChannels) {
        this.subscriptions = new int[] {channels, patterns, shardChannels};
    }
}
