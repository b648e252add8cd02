package io.rcproxy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RateScheduleTest {

    @Test
    void workersTakeTurnsSoTheTotalRateIsEven() {
        RateSchedule s = new RateSchedule(1_000, 4);
        // 1,000 ops/s over 4 workers: one command every millisecond overall, each worker every 4 ms.
        assertEquals(0, s.intendedOffsetNanos(0, 0));
        assertEquals(1_000_000, s.intendedOffsetNanos(1, 0));
        assertEquals(3_000_000, s.intendedOffsetNanos(3, 0));
        assertEquals(4_000_000, s.intendedOffsetNanos(0, 1));
        assertEquals(9_000_000, s.intendedOffsetNanos(1, 2));
    }

    @Test
    void dueCountsEveryCommandWhoseIntendedTimeHasCome() {
        RateSchedule s = new RateSchedule(1_000, 4);
        assertEquals(0, s.dueBy(0, -1));
        assertEquals(1, s.dueBy(0, 0));
        assertEquals(0, s.dueBy(1, 999_999));
        assertEquals(1, s.dueBy(1, 1_000_000));
        assertEquals(2, s.dueBy(0, 4_000_000));
        assertEquals(1, s.dueBy(0, 3_999_999));
        long total = 0;
        for (int w = 0; w < 4; w++) {
            total += s.dueBy(w, 1_000_000_000L - 1);
        }
        assertEquals(1_000, total, "one second holds exactly rate commands");
    }

    @Test
    void dueAgreesWithTheIntendedTimesForAnOddRate() {
        RateSchedule s = new RateSchedule(33_333, 7);
        for (int w = 0; w < 7; w++) {
            for (long n = 0; n < 500; n++) {
                long t = s.intendedOffsetNanos(w, n);
                assertEquals(n + 1, s.dueBy(w, t), "worker " + w + " command " + n + " is due at its time");
                if (t > 0) {
                    assertEquals(n, s.dueBy(w, t - 1), "and not a nanosecond before");
                }
            }
        }
    }

    @Test
    void ratesTakeThousandsAndMillions() {
        assertEquals(List.of(10_000L, 50_000L, 100_000L, 1_500_000L, 2_500L),
                RateSchedule.parseRates("10k, 50K,100k,1.5m,2500"));
        assertThrows(IllegalArgumentException.class, () -> RateSchedule.parseRates("fast"));
        assertThrows(IllegalArgumentException.class, () -> new RateSchedule(0, 1));
    }
}
