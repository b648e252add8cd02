package io.rcproxy.bench;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.rcproxy.cluster.topology.HostAndPort;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

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
    public void start(Operation operation, KeySpace keys, LoadWindow window) {
        for (int i = 0; i < window.workerCount(); i++) {
            new Worker(window, i, operation, keys).start();
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
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
                String wrong = error != null ? String.valueOf(error) : mgetError(values, keyIndexes);
                if (wrong == null) {
                    replied();
                } else {
                    failed(wrong);
                }
            });
        }

        private String mgetError(List<KeyValue<byte[], byte[]>> values, int[] keyIndexes) {
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
    }
}
