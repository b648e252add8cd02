package io.rcproxy.cluster.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rcproxy.cluster.testkit.RedisClusterExtension;
import io.rcproxy.cluster.testkit.RedisClusterProcess;
import io.rcproxy.cluster.testkit.RedisTestConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our slot function against the server's: {@code CLUSTER KEYSLOT} must agree with
 * {@link SlotHash#slot(byte[])} for arbitrary binary keys, including every hash-tag corner
 * ({@code {}}, nested and unbalanced braces, a tag at the very start or end).
 */
@ExtendWith(RedisClusterExtension.class)
class SlotHashIT {

    private static final long SEED = 0x5107_4A54L;
    private static final int RANDOM_KEYS = 10_000;
    private static final int PIPELINE = 500;

    @Test
    void agreesWithClusterKeyslotForRandomBinaryKeys(RedisClusterProcess cluster) {
        Random random = new Random(SEED);
        List<byte[]> keys = new ArrayList<>(RANDOM_KEYS);
        for (int i = 0; i < RANDOM_KEYS; i++) {
            keys.add(randomKey(random));
        }
        assertAgree(cluster, keys);
    }

    @Test
    void agreesWithClusterKeyslotOnHashTagCorners(RedisClusterProcess cluster) {
        List<byte[]> keys = new ArrayList<>();
        for (String key : new String[] {
                "", "{", "}", "{}", "}{", "{}{}", "{{}}", "{a", "a}", "{a}", "{{a}}", "{a}{b}", "a{}b{c}",
                "{user1000}.following", "{user1000}.followers", "foo{}{bar}", "foo{{bar}}zap", "foo{bar}{zap}",
                "123456789", "user:{123}:profile", "{}user", "user{", "x{y}", "{y}x", "\u00e9{\u00e8}"}) {
            keys.add(key.getBytes(StandardCharsets.UTF_8));
        }
        keys.add(new byte[] {'{', (byte) 0xff, 0, '}', 1});
        keys.add(new byte[] {0, 0, 0});
        assertAgree(cluster, keys);
    }

    private static void assertAgree(RedisClusterProcess cluster, List<byte[]> keys) {
        byte[] clusterCommand = "CLUSTER".getBytes(StandardCharsets.US_ASCII);
        byte[] keyslot = "KEYSLOT".getBytes(StandardCharsets.US_ASCII);
        try (RedisTestConnection c = cluster.connect(cluster.allPorts().get(0))) {
            for (int from = 0; from < keys.size(); from += PIPELINE) {
                List<byte[]> batch = keys.subList(from, Math.min(keys.size(), from + PIPELINE));
                ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
                for (byte[] key : batch) {
                    pipeline.writeBytes(RedisTestConnection.command(clusterCommand, keyslot, key));
                }
                c.sendRaw(pipeline.toByteArray());
                for (byte[] key : batch) {
                    long expected = (Long) c.readReply();
                    assertEquals(expected, SlotHash.slot(key),
                            () -> "slot of key 0x" + HexFormat.of().formatHex(key) + " (seed " + SEED + ")");
                }
            }
        }
    }

    /** Short keys from a small alphabet rich in braces, so hash tags form often; some fully random bytes. */
    private static byte[] randomKey(Random random) {
        int length = random.nextInt(40);
        byte[] key = new byte[length];
        boolean braceHeavy = random.nextBoolean();
        for (int i = 0; i < length; i++) {
            if (braceHeavy) {
                int pick = random.nextInt(8);
                key[i] = pick == 0 ? (byte) '{' : pick == 1 ? (byte) '}' : (byte) ('a' + random.nextInt(4));
            } else {
                key[i] = (byte) random.nextInt(256);
            }
        }
        return key;
    }
}
