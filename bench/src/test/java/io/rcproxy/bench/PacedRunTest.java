package io.rcproxy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacedRunTest {

    @Test
    void reportsHowLateTheGeneratorSentApartFromTheLatencyItMeasured() throws InterruptedException {
        PacedRun run = new PacedRun(new RateSchedule(1000, 1), Duration.ZERO, Duration.ofMillis(1),
                Duration.ofMillis(5));
        long start = run.startNanos();
        long warm = start + Duration.ofMillis(1).toNanos();
        run.sent(start, start + 900_000); // meant during the warm-up: not counted
        for (int i = 0; i < 99; i++) {
            run.sent(warm + i, warm + i + 10_000); // 10 us late
            run.replied(warm + i, warm + i + 300_000);
        }
        run.sent(warm + 99, warm + 99 + 5_000_000); // one 5 ms late
        run.replied(warm + 99, warm + 99 + 5_300_000);
        run.workerFinished();

        RateResult result = run.measure("t", Operation.GET, Duration.ofSeconds(1));

        assertEquals(10, result.lateP50Micros());
        assertEquals(10, result.lateP99Micros());
        assertEquals(300, result.p50Micros(), 1);
        assertEquals(5300, result.maxMicros(), 10);
    }
}
