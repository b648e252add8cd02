package io.rcproxy.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When each command of a fixed-rate run is meant to be sent: {@code rate} commands per second in total,
 * spread evenly over {@code workers}, worker w sending its n-th command at
 * {@code (n * workers + w) / rate} seconds after the start. Latency is measured from that intended time,
 * not from when the command actually left, so a target that stalls is charged for every command the
 * stall held back (no coordinated omission). Immutable.
 */
record RateSchedule(long rate, int workers) {

    RateSchedule {
        if (rate < 1 || workers < 1) {
            throw new IllegalArgumentException("rate and workers must be at least 1");
        }
    }

    /** Nanoseconds after the start at which worker {@code worker} should send its command {@code n}. */
    long intendedOffsetNanos(int worker, long n) {
        // (n * workers + worker) * 1e9 / rate without overflow for any run the bench can make.
        return (long) ((n * workers + worker) * (1e9 / rate));
    }

    /** How many commands worker {@code worker} should have sent by {@code elapsedNanos} after the start. */
    long dueBy(int worker, long elapsedNanos) {
        if (elapsedNanos < 0) {
            return 0;
        }
        long slot = (long) Math.floor(elapsedNanos * (rate / 1e9));
        long due = slot < worker ? 0 : (slot - worker) / workers + 1;
        // Rounding in either formula may disagree by one at an exact boundary; the intended time decides.
        while (due > 0 && intendedOffsetNanos(worker, due - 1) > elapsedNanos) {
            due--;
        }
        while (intendedOffsetNanos(worker, due) <= elapsedNanos) {
            due++;
        }
        return due;
    }

    /** "10k,50k,100k", "1m", "2500": total commands per second. */
    static List<Long> parseRates(String text) {
        List<Long> rates = new ArrayList<>();
        for (String part : text.split(",")) {
            String t = part.trim().toLowerCase(Locale.ROOT);
            if (t.isEmpty()) {
                continue;
            }
            long unit = 1;
            if (t.endsWith("k")) {
                unit = 1_000;
                t = t.substring(0, t.length() - 1);
            } else if (t.endsWith("m")) {
                unit = 1_000_000;
                t = t.substring(0, t.length() - 1);
            }
            long rate;
            try {
                rate = Math.round(Double.parseDouble(t) * unit);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--rates: not a rate: '" + part.trim() + "' (e.g. 10k, 50000)");
            }
            if (rate < 1) {
                throw new IllegalArgumentException("--rates: a rate must be at least 1 op/s, got '" + part.trim() + "'");
            }
            rates.add(rate);
        }
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("--rates names no rate");
        }
        return List.copyOf(rates);
    }
}
