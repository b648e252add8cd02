package io.rcproxy.bench;

import io.rcproxy.cluster.slot.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The keys and values every target uses: {@code count} distinct keys of exactly {@code keySize} bytes
 * ({@code bench:<n>:} padded with 'k'), spread over all slots by CRC16, and {@value #DISTINCT_VALUES}
 * values of {@code valueSize} printable bytes, key i holding value i mod {@value #DISTINCT_VALUES}. Each
 * value starts with its own number ({@code v<n>:}), so a reply that answers one key with another key's
 * value (an MGET merged in the wrong order) is caught, while memory stays bounded for any keyspace.
 *
 * <p>Built once, before any load starts; immutable afterwards, so shared by all threads.
 */
public final class KeySpace {

    static final int DISTINCT_VALUES = 1024;
    /** Keys per {@link Operation#MGET10}. */
    static final int MGET_KEYS = 10;

    private final byte[][] keys;
    private final int[] slots;
    private final byte[][] values;

    public KeySpace(int count, int keySize, int valueSize) {
        String widest = "bench:" + (count - 1) + ":";
        if (keySize < widest.length()) {
            throw new IllegalArgumentException("--key-size " + keySize + " is too small for " + count
                    + " distinct keys (needs " + widest.length() + ")");
        }
        if (count < MGET_KEYS) {
            throw new IllegalArgumentException("--keyspace must hold at least " + MGET_KEYS + " keys");
        }
        keys = new byte[count][];
        slots = new int[count];
        for (int i = 0; i < count; i++) {
            byte[] prefix = ("bench:" + i + ":").getBytes(StandardCharsets.US_ASCII);
            byte[] key = new byte[keySize];
            Arrays.fill(key, (byte) 'k');
            System.arraycopy(prefix, 0, key, 0, prefix.length);
            keys[i] = key;
            slots[i] = SlotHash.slot(key);
        }
        byte[] filler = new byte[valueSize];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < valueSize; i++) {
            filler[i] = (byte) ('a' + random.nextInt(26));
        }
        values = new byte[Math.min(count, DISTINCT_VALUES)][];
        for (int i = 0; i < values.length; i++) {
            byte[] stamp = ("v" + i + ":").getBytes(StandardCharsets.US_ASCII);
            byte[] value = filler.clone();
            System.arraycopy(stamp, 0, value, 0, Math.min(stamp.length, valueSize));
            values[i] = value;
        }
    }

    public int size() {
        return keys.length;
    }

    public byte[] key(int index) {
        return keys[index];
    }

    public int slot(int index) {
        return slots[index];
    }

    /** The value key {@code index} holds once preloaded (and after any SET of the bench). */
    public byte[] value(int index) {
        return values[index % values.length];
    }

    public int valueSize() {
        return values[0].length;
    }

    public int randomIndex(SplittableRandom random) {
        return random.nextInt(keys.length);
    }

    /**
     * Fills {@code into} with indexes of keys that all hash to different slots, so an MGET of them crosses
     * slots (and, on a cluster of several masters, nodes) every time. Needs a keyspace with at least as
     * many distinct slots as {@code into} has room for; the bench's keys spread over nearly all 16384.
     */
    public void pickAcrossSlots(SplittableRandom random, int[] into) {
        int attempts = 0;
        for (int n = 0; n < into.length; ) {
            int candidate = randomIndex(random);
            if (!slotTaken(into, n, slots[candidate])) {
                into[n++] = candidate;
            } else if (++attempts > 1000 * into.length) {
                throw new IllegalStateException("the keyspace has fewer than " + into.length + " distinct slots");
            }
        }
    }

    private boolean slotTaken(int[] picked, int count, int slot) {
        for (int i = 0; i < count; i++) {
            if (slots[picked[i]] == slot) {
                return true;
            }
        }
        return false;
    }
}
