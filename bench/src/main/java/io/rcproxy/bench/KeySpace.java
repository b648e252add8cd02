package io.rcproxy.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The keys and the value every target uses: {@code count} distinct keys of exactly {@code keySize} bytes
 * ({@code bench:<n>:} padded with 'k'), spread over all slots by CRC16, and one value of {@code valueSize}
 * printable bytes. Built once, before any load starts; immutable afterwards, so shared by all threads.
 */
public final class KeySpace {

    private final byte[][] keys;
    private final byte[] value;

    public KeySpace(int count, int keySize, int valueSize) {
        String widest = "bench:" + (count - 1) + ":";
        if (keySize < widest.length()) {
            throw new IllegalArgumentException("--key-size " + keySize + " is too small for " + count
                    + " distinct keys (needs " + widest.length() + ")");
        }
        keys = new byte[count][];
        for (int i = 0; i < count; i++) {
            byte[] prefix = ("bench:" + i + ":").getBytes(StandardCharsets.US_ASCII);
            byte[] key = new byte[keySize];
            Arrays.fill(key, (byte) 'k');
            System.arraycopy(prefix, 0, key, 0, prefix.length);
            keys[i] = key;
        }
        value = new byte[valueSize];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < valueSize; i++) {
            value[i] = (byte) ('a' + random.nextInt(26));
        }
    }

    public int size() {
        return keys.length;
    }

    public byte[] key(int index) {
        return keys[index];
    }

    public byte[] randomKey(SplittableRandom random) {
        return keys[random.nextInt(keys.length)];
    }

    public byte[] value() {
        return value;
    }
}
