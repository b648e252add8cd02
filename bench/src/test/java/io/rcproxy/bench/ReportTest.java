package io.rcproxy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static RunResult result(String target, Operation op, long replies, long errors) {
        return result(target, op, 1, replies, errors);
    }

    private static RunResult result(String target, Operation op, int pipeline, long replies, long errors) {
        return new RunResult(target, op, pipeline, replies, 2.0, 100, 200, 300, errors, errors > 0 ? "ERR boom" : null);
    }

    @Test
    void everyTargetIsDividedByTheBaselineOfItsOwnOperationAndDepth() {
        List<Report.RatioRow> rows = Report.ratios(List.of(
                result("proxy", Operation.GET, 1, 10_000, 0),
                result("client", Operation.GET, 1, 40_000, 0),
                result("lettuce", Operation.GET, 1, 20_000, 0),
                result("client", Operation.GET, 16, 100_000, 0),
                result("proxy", Operation.GET, 16, 75_000, 0),
                result("proxy", Operation.MGET10, 1, 5_000, 0),
                result("client", Operation.MGET10, 1, 4_000, 0)), "client");
        assertEquals(3, rows.size());
        assertEquals(0.25, rows.get(0).ratios().get("proxy"), 1e-9);
        assertEquals(1.0, rows.get(0).ratios().get("client"), 1e-9);
        assertEquals(0.5, rows.get(0).ratios().get("lettuce"), 1e-9);
        assertEquals(16, rows.get(1).pipeline());
        assertEquals(0.75, rows.get(1).ratios().get("proxy"), 1e-9);
        assertEquals(Operation.MGET10, rows.get(2).operation());
        assertEquals(1.25, rows.get(2).ratios().get("proxy"), 1e-9);
    }

    @Test
    void aRowWithoutTheBaselineIsLeftOutAndAZeroBaselineGivesNoRatio() {
        List<Report.RatioRow> rows = Report.ratios(List.of(
                result("proxy", Operation.SET, 10_000, 0),
                result("client", Operation.GET, 0, 1),
                result("proxy", Operation.GET, 10_000, 0)), "client");
        assertEquals(1, rows.size());
        assertEquals("n/a", Report.formatRatio(rows.get(0).ratios().get("proxy")));
        assertEquals("1.50x", Report.formatRatio(1.5));
    }

    @Test
    void ratioTableHasAColumnPerTargetAndARowPerOperationAndDepth() {
        String table = Report.ratioTable(List.of(
                result("client", Operation.GET, 1, 40_000, 0),
                result("proxy", Operation.GET, 1, 30_000, 0),
                result("envoy", Operation.GET, 1, 20_000, 0)), "client", 3);
        assertTrue(table.contains("median of 3 round(s)"), table);
        assertTrue(table.matches("(?s).*op +pipeline +client +proxy +envoy\n.*"), table);
        assertTrue(table.matches("(?s).*get +1 +1\\.00x +0\\.75x +0\\.50x\n.*"), table);
        assertTrue(Report.ratioTable(List.of(result("proxy", Operation.GET, 1, 1, 0)), "client", 1)
                .contains("baseline target 'client' did not run"));
    }

    @Test
    void tsvFilesCarryEveryRunAndTheChartMatrixLeavesGaps() {
        List<RunResult> results = List.of(
                result("client", Operation.GET, 1, 40_000, 0),
                result("proxy", Operation.GET, 1, 30_000, 0),
                result("proxy", Operation.SET, 16, 10_000, 0));
        String tsv = Report.throughputTsv(results, "client");
        assertTrue(tsv.startsWith("target\top\tpipeline\tops_per_sec"), tsv);
        assertTrue(tsv.contains("proxy\tget\t1\t15000.0\t100\t200\t300\t0\t0.7500\n"), tsv);
        assertTrue(tsv.contains("proxy\tset\t16\t5000.0\t100\t200\t300\t0\t\n"), tsv);
        String wide = Report.wideTsv(results, RunResult::opsPerSecond);
        assertEquals("case\tclient\tproxy\nget/p1\t20000.0\t15000.0\nset/p16\tNaN\t5000.0\n", wide);
    }

    @Test
    void rateTableShowsWhatTheProxyAddsOverTheBaselineAtEachRate() {
        List<RateResult> results = List.of(
                new RateResult("client", Operation.GET, 10_000, 9_990, 100, 300, 900, 2000, 7, 40, 0, null),
                new RateResult("proxy", Operation.GET, 10_000, 9_980, 180, 450, 1500, 3000, 7, 40, 0, null));
        String table = Report.rateTable(results, "client", 1);
        assertTrue(table.matches("(?s).*proxy +get +10,000 +9,980 +180 +450 +1500 +3000 +\\+80 +\\+150 +7 +40 +0\n.*"),
                table);
        assertEquals("op\trate\tclient\tproxy\nget\t10000\t300\t450\n", Report.latencyWideTsv(results));
        assertTrue(Report.latencyTsv(results).contains("proxy\tget\t10000\t9980.0\t180\t450\t1500\t3000\t0\t7\t40\n"),
                Report.latencyTsv(results));
    }

    @Test
    void aRateWithNoRightReplyHasNoDeltaAndAGapInTheChart() {
        List<RateResult> results = List.of(
                new RateResult("client", Operation.GET, 1_000, 1_000, 100, 300, 900, 2000, 7, 40, 0, null),
                new RateResult("proxy", Operation.GET, 1_000, 0, 0, 0, 0, 0, 7, 40, 5, "behind"),
                new RateResult("client", Operation.MGET10, 1_000, 1_000, 200, 400, 900, 2000, 7, 40, 0, null));
        String table = Report.rateTable(results, "client", 1);
        assertTrue(table.matches("(?s).*proxy +get +1,000 +0 +0 +0 +0 +0 +7 +40 +5\n.*"), table);
        assertEquals("op\trate\tclient\tproxy\nget\t1000\t300\tNaN\n\nmget10\t1000\t400\tNaN\n",
                Report.latencyWideTsv(results));
    }

    @Test
    void tableShowsErrorsAndTheFirstMessage() {
        String table = Report.table(List.of(result("proxy", Operation.MIXED, 10_000, 3)));
        assertTrue(table.contains("proxy    mixed         1"), table);
        assertTrue(table.contains("5,000"), table);
        assertTrue(table.contains("proxy mixed pipeline 1 first error: ERR boom"), table);
    }

    @Test
    void jsonEscapesMessages() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", Report.quote("a\"b\\c\nd\u0001"));
        String json = Report.json(BenchOptions.defaults(), java.util.Map.of("proxy", "plain RESP"),
                List.of(result("proxy", Operation.GET, 10_000, 0)));
        assertTrue(json.contains("{\"target\": \"proxy\", \"op\": \"get\", \"pipeline\": 1, \"opsPerSec\": 5000.0"), json);
        assertTrue(json.contains("\"firstError\": null"), json);
    }

    @Test
    void medianRunIsTheMiddleThroughputWithErrorsSummed() {
        RunResult slow = new RunResult("proxy", Operation.GET, 1, 100, 1.0, 10, 20, 30, 1, "first");
        RunResult mid = new RunResult("proxy", Operation.GET, 1, 200, 1.0, 11, 21, 31, 0, null);
        RunResult fast = new RunResult("proxy", Operation.GET, 1, 300, 1.0, 12, 22, 32, 2, "later");
        RunResult median = BenchMain.median(List.of(fast, slow, mid));
        assertEquals(200, median.replies());
        assertEquals(11, median.p50Micros());
        assertEquals(3, median.errors());
        assertEquals("later", median.firstError());
    }

    @Test
    void medianFixedRateRunIsTheMiddleP99WithErrorsSummed() {
        RateResult a = new RateResult("proxy", Operation.GET, 1000, 999, 10, 900, 1000, 2000, 7, 40, 0, null);
        RateResult b = new RateResult("proxy", Operation.GET, 1000, 998, 11, 300, 400, 500, 7, 40, 4, "x");
        RateResult c = new RateResult("proxy", Operation.GET, 1000, 997, 12, 500, 600, 700, 7, 40, 0, null);
        RateResult median = BenchMain.medianRate(List.of(a, b, c));
        assertEquals(500, median.p99Micros());
        assertEquals(12, median.p50Micros());
        assertEquals(4, median.errors());
        assertEquals("x", median.firstError());
        assertEquals(300, BenchMain.medianRate(List.of(a, b)).p99Micros(), "lower middle of an even count");
    }
}
