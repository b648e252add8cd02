package io.rcproxy.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.protocol.RespRequestDecoder;
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
 * Request framing: {@link RespRequestDecoder} in an {@link EmbeddedChannel} splitting one read of
 * {@value #PIPELINE} pipelined {@code SET key value} commands into {@link RedisRequest}s, each released as
 * the frontend would once it is done. The score is per command.
 *
 * <pre>java -cp bench/target/redis-cluster-bench.jar org.openjdk.jmh.Main RequestFramingBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RequestFramingBenchmark {

    static final int PIPELINE = 100;

    @Param({"16", "512"})
    public int keySize;

    @Param({"512"})
    public int valueSize;

    private ByteBuf pipelined;
    private EmbeddedChannel channel;

    @Setup
    public void setUp() {
        pipelined = Unpooled.directBuffer();
        String key = "k".repeat(keySize);
        String value = "v".repeat(valueSize);
        for (int i = 0; i < PIPELINE; i++) {
            pipelined.writeCharSequence("*3\r\n$3\r\nSET\r\n$" + keySize + "\r\n" + key + "\r\n$" + valueSize + "\r\n"
                    + value + "\r\n", StandardCharsets.US_ASCII);
        }
        channel = new EmbeddedChannel(new RespRequestDecoder());
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        pipelined.release();
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int decode() {
        // The duplicate's reference is the decoder's to release once it has read everything.
        channel.writeInbound(pipelined.retainedDuplicate());
        int frames = 0;
        RedisRequest request;
        while ((request = channel.readInbound()) != null) {
            frames += request.argCount();
            request.release();
        }
        return frames;
    }
}
