package io.rcproxy.bench;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What each worker sends: {@code GET} (keys preloaded), {@code SET}, a mix of 80% GET and 20% SET, or
 * {@code MGET10}: one MGET of ten preloaded keys in ten different slots ({@link KeySpace#pickAcrossSlots}).
 * One MGET10 counts as one operation, whatever number of commands a target needs to carry it.
 */
public enum Operation {
    GET, SET, MIXED, MGET10;

    /** Percentage of GETs in {@link #MIXED}. */
    static final int MIXED_GET_PERCENT = 80;

    /** One command a worker sends next. */
    enum Command { GET, SET, MGET }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the keyspace must hold values before the run. */
    public boolean readsKeys() {
        return this != SET;
    }

    public Command next(SplittableRandom random) {
        return switch (this) {
            case GET -> Command.GET;
            case SET -> Command.SET;
            case MIXED -> random.nextInt(100) < MIXED_GET_PERCENT ? Command.GET : Command.SET;
            case MGET10 -> Command.MGET;
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
