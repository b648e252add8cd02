package io.rcproxy.proxy.tracking;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The keys tracking clients of one event loop have read, each with the clients that read it: Redis's own
 * tracking table, kept by the proxy because its clients share backend connections. A key leaves the table
 * when it is invalidated ({@link #take}) or evicted. At most {@code maxKeys} keys are held: remembering one
 * more evicts the oldest (first remembered) key, whose readers the {@code evicted} callback must invalidate,
 * as Redis does past {@code tracking-table-max-keys}. A reader that has gone or turned tracking off stays
 * listed until its keys leave the table, as in Redis; the caller skips it then.
 *
 * <p>Memory: about 88 bytes of heap per key plus its length rounded up to 8, 56 more for 2-4 readers; see
 * docs/tracking.md for the count.
 *
 * <p>Thread: confined to its event loop. Holds no buffers.
 *
 * @param <R> the reader: a client's tracking state (a plain object in unit tests)
 */
final class TrackingTable<R> {

    private final int maxKeys;
    private final BiConsumer<TrackedKey, List<R>> evicted;
    /**
     * Each key's readers: a single reader (the usual case) held directly, else an {@code ArrayList} of them.
     * Insertion order: the first entry is the oldest, evicted first.
     */
    private final LinkedHashMap<TrackedKey, Object> keys = new LinkedHashMap<>();
    private long evictions;

    TrackingTable(int maxKeys, BiConsumer<TrackedKey, List<R>> evicted) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1: " + maxKeys);
        }
        this.maxKeys = maxKeys;
        this.evicted = evicted;
    }

    /** Remembers that {@code reader} read {@code key}; may evict the oldest key first. */
    @SuppressWarnings("unchecked")
    void remember(TrackedKey key, R reader) {
        Object now = keys.get(key);
        if (now == null) {
            if (keys.size() >= maxKeys) {
                evictOldest();
            }
            keys.put(key, reader);
            return;
        }
        if (now == reader) {
            return;
        }
        if (now instanceof ArrayList<?> list) {
            if (!list.contains(reader)) {
                ((ArrayList<R>) list).add(reader);
            }
            return;
        }
        ArrayList<R> list = new ArrayList<>(4);
        list.add((R) now);
        list.add(reader);
        keys.put(key, list); // an existing key: its place in the eviction order stays
    }

    /** Removes {@code key} and returns the readers it had (empty when it was not tracked). */
    List<R> take(TrackedKey key) {
        Object entry = keys.remove(key);
        return entry == null ? List.of() : readers(entry);
    }

    /** Forgets every key (a flush told every reader to drop everything). */
    void clear() {
        keys.clear();
    }

    int size() {
        return keys.size();
    }

    int maxKeys() {
        return maxKeys;
    }

    /** Keys evicted for room so far. */
    long evictions() {
        return evictions;
    }

    boolean contains(TrackedKey key) {
        return keys.containsKey(key);
    }

    private void evictOldest() {
        Iterator<Map.Entry<TrackedKey, Object>> oldest = keys.entrySet().iterator();
        Map.Entry<TrackedKey, Object> entry = oldest.next();
        oldest.remove();
        evictions++;
        evicted.accept(entry.getKey(), readers(entry.getValue()));
    }

    @SuppressWarnings("unchecked")
    private List<R> readers(Object r) {
        return r instanceof ArrayList<?> list ? (List<R>) list : List.of((R) r);
    }
}
