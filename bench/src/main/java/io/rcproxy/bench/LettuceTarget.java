package io.rcproxy.bench;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.rcproxy.cluster.internal.connection.Transport;
import io.rcproxy.cluster.topology.HostAndPort;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce's {@link RedisClusterClient} as its documentation recommends for this load: one shared
 * {@link StatefulRedisClusterConnection} with {@link ByteArrayCodec}, the async API, and each worker an
 * {@link AsyncWorker} chained on the returned future. Lettuce multiplexes one connection per node and has
 * no setting for more, so {@code --connections-per-node} does not apply to it.
 *
 * <p>{@code mget10} calls Lettuce's own cluster {@code mget}, which splits the keys by slot, sends one
 * MGET per slot and reassembles the values in key order; each value is checked ({@link MgetReply#matches}).
 */
final class LettuceTarget implements Target {

    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<byte[], byte[]> connection;
    private final RedisAdvancedClusterAsyncCommands<byte[], byte[]> commands;
    /** The fixed-rate workers' loop, made on first use. */
    private EventLoopGroup pacer;

    LettuceTarget(List<HostAndPort> seeds) {
        List<RedisURI> uris = new ArrayList<>();
        for (HostAndPort seed : seeds) {
            uris.add(RedisURI.create(seed.host(), seed.port()));
        }
        client = RedisClusterClient.create(uris);
        try {
            connection = client.connect(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
        commands = connection.async();
    }

    @Override
    public String name() {
        return "lettuce";
    }

    @Override
    public String description() {
        return "Lettuce " + lettuceVersion() + " RedisClusterClient, one shared connection (ByteArrayCodec), "
                + "async API, async workers chained on completion (1 conn/node: Lettuce has no pool setting)";
    }

    /** From Lettuce's pom.properties: the shaded jar drops the manifest that would also say it. */
    private static String lettuceVersion() {
        try (InputStream in = RedisClusterClient.class.getResourceAsStream(
                "/META-INF/maven/io.lettuce/lettuce-core/pom.properties")) {
            if (in == null) {
                return "(version unknown)";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "(version unknown)");
        } catch (IOException e) {
            return "(version unknown)";
        }
    }

    @Override
    public void preload(KeySpace keys) {
        // The cluster is preloaded once through our client; Lettuce would write the same bytes.
    }

    @Override
    public void start(Operation operation, KeySpace keys, LoadWindow window, int pipeline) {
        for (int i = 0; i < window.workerCount(); i++) {
            new Worker(window, i, operation, keys).start();
        }
    }

    /**
     * Fixed-rate workers are scheduled on one event loop of the bench's own (Lettuce does not lend its
     * threads), from which they call the async API as any application thread would.
     */
    @Override
    public void startPaced(Operation operation, KeySpace keys, PacedRun run) {
        if (pacer == null) {
            pacer = new MultiThreadIoEventLoopGroup(1, Transport.best().ioHandlerFactory());
        }
        EventExecutor loop = pacer.next();
        for (int i = 0; i < run.workerCount(); i++) {
            new PacedLettuceWorker(run, i, operation, keys, loop).start();
        }
    }

    @Override
    public void close() {
        if (pacer != null) {
            pacer.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        connection.close();
        client.shutdown();
    }

    /** Whether {@code values} are the values of {@code keyIndexes}, in order; null when right. */
    private static String mgetError(List<KeyValue<byte[], byte[]>> values, int[] keyIndexes, KeySpace keys) {
        if (values.size() != keyIndexes.length) {
            return "MGET: " + values.size() + " values for " + keyIndexes.length + " keys";
        }
        for (int i = 0; i < keyIndexes.length; i++) {
            KeyValue<byte[], byte[]> kv = values.get(i);
            if (!kv.hasValue() || !MgetReply.matches(kv.getValue(), keys, keyIndexes[i])) {
                return "MGET: value " + i + " is not the value of key " + keyIndexes[i];
            }
        }
        return null;
    }

    private final class PacedLettuceWorker extends PacedWorker {

        PacedLettuceWorker(PacedRun run, int index, Operation operation, KeySpace keys, EventExecutor loop) {
            super(run, index, operation, keys, loop);
        }

        @Override
        protected void sendGet(int key, long intendedNanos) {
            commands.get(keys.key(key)).whenComplete((value, error) -> done(intendedNanos,
                    error != null ? String.valueOf(error) : value == null ? "GET returned nil: key not preloaded" : null));
        }

        @Override
        protected void sendSet(int key, long intendedNanos) {
            commands.set(keys.key(key), keys.value(key)).whenComplete((ok, error) ->
                    done(intendedNanos, error != null ? String.valueOf(error) : null));
        }

        @Override
        protected void sendMget(int[] keyIndexes, long intendedNanos) {
            byte[][] mgetKeys = new byte[keyIndexes.length][];
            for (int i = 0; i < keyIndexes.length; i++) {
                mgetKeys[i] = keys.key(keyIndexes[i]);
            }
            commands.mget(mgetKeys).whenComplete((values, error) -> done(intendedNanos,
                    error != null ? String.valueOf(error) : mgetError(values, keyIndexes, keys)));
        }
    }

    private final class Worker extends AsyncWorker {

        Worker(LoadWindow window, int index, Operation operation, KeySpace keys) {
            super(window, index, operation, keys);
        }

        private final byte[][] mgetKeys = new byte[KeySpace.MGET_KEYS][];

        @Override
        protected void sendGet(int key) {
            commands.get(keys.key(key)).whenComplete((value, error) -> {
                if (error != null) {
                    failed(String.valueOf(error));
                } else if (value == null) {
                    failed("GET returned nil: key not preloaded");
                } else {
                    replied();
                }
            });
        }

        @Override
        protected void sendSet(int key) {
            commands.set(keys.key(key), keys.value(key)).whenComplete((ok, error) -> {
                if (error != null) {
                    failed(String.valueOf(error));
                } else {
                    replied();
                }
            });
        }

        @Override
        protected void sendMget(int[] keyIndexes) {
            for (int i = 0; i < keyIndexes.length; i++) {
                mgetKeys[i] = keys.key(keyIndexes[i]);
            }
            // Reused for the next MGET only once this one completed, when Lettuce is done with the keys.
            commands.mget(mgetKeys).whenComplete((values, error) -> {
                String wrong = error != null ? String.valueOf(error) : mgetError(values, keyIndexes, keys);
                if (wrong == null) {
                    replied();
                } else {
                    failed(wrong);
                }
            });
        }
    }
}
