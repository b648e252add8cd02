package io.rcproxy.bench;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What each worker sends: {@code GET} (keys preloaded), {@code SET}, or a mix of 80% GET and 20% SET.
 * {@code MGET10} (ten keys across slots) is reserved and not supported yet.
 */
public enum Operation {
    GET, SET, MIXED, MGET10;

    /** Percentage of GETs in {@link #MIXED}. */
    static final int MIXED_GET_PERCENT = 80;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean supported() {
        return this != MGET10;
    }

    /** Whether the keyspace must hold values before the run. */
    public boolean readsKeys() {
        return this == GET || this == MIXED;
    }

    /** True when the next command is a GET, false for a SET. */
    public boolean nextIsGet(SplittableRandom random) {
        return switch (this) {
            case GET -> true;
            case SET -> false;
            case MIXED -> random.nextInt(100) < MIXED_GET_PERCENT;
            case MGET10 -> throw new UnsupportedOperationException("mget10 is not supported yet");
        };
    }

    public static Operation parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown operation '" + text + "' (get, set, mixed, mget10)");
        }
    }
}
