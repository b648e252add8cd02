package io.rcproxy.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rcproxy.cluster.slot.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CRC16 slot lookup, {@link SlotHash#slot(ByteBuf, int, int)}, for short and long keys, with and without a
 * hash tag, on a heap buffer (array path) and a direct one (ByteBuf path, what the proxy's decoder sees).
 * A tagged key is {@code {user:1000}} followed by filler, so only the ten tag bytes are hashed.
 *
 * <pre>java -cp bench/target/redis-cluster-bench.jar org.openjdk.jmh.Main SlotHashBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SlotHashBenchmark {

    @Param({"16", "512"})
    public int keySize;

    @Param({"false", "true"})
    public boolean hashTag;

    @Param({"heap", "direct"})
    public String buffer;

    private ByteBuf key;

    @Setup
    public void setUp() {
        byte[] bytes = new byte[keySize];
        Arrays.fill(bytes, (byte) 'k');
        byte[] prefix = (hashTag ? "{user:1000}" : "user:1000:").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, bytes, 0, Math.min(prefix.length, bytes.length));
        key = buffer.equals("direct") ? Unpooled.directBuffer(keySize) : Unpooled.buffer(keySize);
        key.writeBytes(bytes);
    }

    @TearDown
    public void tearDown() {
        key.release();
    }

    @Benchmark
    public int slot() {
        return SlotHash.slot(key, key.readerIndex(), key.readableBytes());
    }
}
