package io.rcproxy.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rcproxy.cluster.internal.resp.RespFrameScanner;
import io.rcproxy.cluster.internal.resp.RespReplyDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reply framing over one read of {@value #PIPELINE} replies, as a backend connection receives them: either
 * {@code +OK} (SET) or a bulk string of {@code valueSize} bytes (GET). {@link #scan} is
 * {@link RespFrameScanner} alone (finding frame ends); {@link #decode} is the whole
 * {@link RespReplyDecoder} in an {@link EmbeddedChannel}, retained slices included. Scores are per reply.
 *
 * <pre>java -cp bench/target/redis-cluster-bench.jar org.openjdk.jmh.Main ReplyFramingBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ReplyFramingBenchmark {

    static final int PIPELINE = 100;

    @Param({"ok", "bulk512"})
    public String reply;

    private ByteBuf replies;
    private RespFrameScanner scanner;
    private EmbeddedChannel channel;

    @Setup
    public void setUp() {
        String one = reply.equals("ok") ? "+OK\r\n" : "$512\r\n" + "v".repeat(512) + "\r\n";
        replies = Unpooled.directBuffer();
        for (int i = 0; i < PIPELINE; i++) {
            replies.writeCharSequence(one, StandardCharsets.US_ASCII);
        }
        scanner = new RespFrameScanner();
        channel = new EmbeddedChannel(new RespReplyDecoder());
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        replies.release();
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int scan() {
        ByteBuf in = replies.duplicate();
        int frames = 0;
        int length;
        while ((length = scanner.scan(in)) >= 0) {
            in.skipBytes(length);
            frames++;
        }
        return frames;
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int decode() {
        // The duplicate's reference is the decoder's to release once it has read everything.
        channel.writeInbound(replies.retainedDuplicate());
        int frames = 0;
        ByteBuf frame;
        while ((frame = channel.readInbound()) != null) {
            frames += frame.readableBytes() > 0 ? 1 : 0;
            frame.release();
        }
        return frames;
    }
}
