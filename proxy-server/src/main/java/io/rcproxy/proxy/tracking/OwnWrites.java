package io.rcproxy.proxy.tracking;

import java.util.HashMap;
import java.util.List;

/**
 * NOLOOP bookkeeping of one client: the keys of its own writes whose invalidations may still arrive. A
 * write marks its keys when sent; the first invalidation of a marked key is counted as the write's own
 * and not reported; the mark goes when the write is settled (the end of the loop turn that read its reply:
 * Redis writes a BCAST batch to the link before the reply to the write). A write that changed nothing
 * causes no invalidation, so settling also forgets what was not seen.
 *
 * <p>Thread: the client's event loop. Holds no buffers.
 */
final class OwnWrites {

    /** One key: writes not settled, their invalidations not yet seen, and whether it was read again since. */
    private static final class Mark {
        int writes;
        int unseen;
        boolean reread;
    }

    private final HashMap<TrackedKey, Mark> marks = new HashMap<>();

    void written(List<TrackedKey> keys) {
        for (TrackedKey key : keys) {
            Mark mark = marks.computeIfAbsent(key, k -> new Mark());
            mark.writes++;
            mark.unseen++;
        }
    }

    void settled(List<TrackedKey> keys) {
        for (TrackedKey key : keys) {
            Mark mark = marks.get(key);
            if (mark == null) {
                continue;
            }
            mark.writes--;
            mark.unseen = Math.min(mark.unseen, mark.writes);
            if (mark.writes <= 0) {
                marks.remove(key);
            }
        }
    }

    /** The client read {@code key}: if it wrote it too, it must stay tracked after its own invalidation. */
    void read(TrackedKey key) {
        Mark mark = marks.get(key);
        if (mark != null) {
            mark.reread = true;
        }
    }

    /** Whether this invalidation of {@code key} is (counted as) the one of the client's own write. */
    boolean ownInvalidation(TrackedKey key) {
        Mark mark = marks.get(key);
        if (mark == null || mark.unseen <= 0) {
            return false;
        }
        mark.unseen--;
        return true;
    }

    /** After {@link #ownInvalidation}: whether the client read the key again since it wrote it (once). */
    boolean takeReread(TrackedKey key) {
        Mark mark = marks.get(key);
        if (mark == null || !mark.reread) {
            return false;
        }
        mark.reread = false;
        return true;
    }

    boolean isEmpty() {
        return marks.isEmpty();
    }

    void clear() {
        marks.clear();
    }
}
