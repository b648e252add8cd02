package io.rcproxy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static RunResult result(String target, Operation op, long replies, long errors) {
        return new RunResult(target, op, replies, 2.0, 100, 200, 300, errors, errors > 0 ? "ERR boom" : null);
    }

    @Test
    void ratiosPutTheProxyFirstWhateverTheRunOrder() {
        List<Report.Ratio> ratios = Report.ratios(List.of(
                result("lettuce", Operation.GET, 20_000, 0),
                result("client", Operation.GET, 40_000, 0),
                result("proxy", Operation.GET, 10_000, 0)));
        assertEquals(List.of("proxy/client", "proxy/lettuce", "client/lettuce"),
                ratios.stream().map(Report.Ratio::name).toList());
        assertEquals(0.25, ratios.get(0).value(), 1e-9);
        assertEquals(0.5, ratios.get(1).value(), 1e-9);
        assertEquals(2.0, ratios.get(2).value(), 1e-9);
    }

    @Test
    void ratiosOnlyCompareTheSameOperation() {
        List<Report.Ratio> ratios = Report.ratios(List.of(
                result("client", Operation.GET, 40_000, 0),
                result("proxy", Operation.SET, 10_000, 0)));
        assertTrue(ratios.isEmpty());
    }

    @Test
    void aTargetWithNoRepliesGivesNoRatioInsteadOfInfinity() {
        List<Report.Ratio> ratios = Report.ratios(List.of(
                result("client", Operation.SET, 0, 1),
                result("proxy", Operation.SET, 10_000, 0)));
        assertEquals("n/a", Report.formatRatio(ratios.get(0).value()));
        assertEquals("1.50x", Report.formatRatio(1.5));
    }

    @Test
    void tableShowsErrorsAndTheFirstMessage() {
        String table = Report.table(List.of(result("proxy", Operation.MIXED, 10_000, 3)));
        assertTrue(table.contains("proxy    mixed"), table);
        assertTrue(table.contains("5,000"), table);
        assertTrue(table.contains("proxy mixed first error: ERR boom"), table);
    }

    @Test
    void jsonEscapesMessages() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", Report.quote("a\"b\\c\nd\u0001"));
        String json = Report.json(BenchOptions.defaults(), java.util.Map.of("proxy", "plain RESP"),
                List.of(result("proxy", Operation.GET, 10_000, 0)));
        assertTrue(json.contains("{\"target\": \"proxy\", \"op\": \"get\", \"opsPerSec\": 5000.0"), json);
        assertTrue(json.contains("\"firstError\": null"), json);
    }

    @Test
    void medianRunIsTheMiddleThroughputWithErrorsSummed() {
        RunResult slow = new RunResult("proxy", Operation.GET, 100, 1.0, 10, 20, 30, 1, "first");
        RunResult mid = new RunResult("proxy", Operation.GET, 200, 1.0, 11, 21, 31, 0, null);
        RunResult fast = new RunResult("proxy", Operation.GET, 300, 1.0, 12, 22, 32, 2, "later");
        RunResult median = BenchMain.median(List.of(fast, slow, mid));
        assertEquals(200, median.replies());
        assertEquals(11, median.p50Micros());
        assertEquals(3, median.errors());
        assertEquals("later", median.firstError());
    }
}
