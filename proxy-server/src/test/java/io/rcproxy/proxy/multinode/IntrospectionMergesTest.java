package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rcproxy.cluster.resp.RespValue;
import io.rcproxy.cluster.resp.RespValue.ArrayReply;
import io.rcproxy.cluster.resp.RespValue.BulkString;
import io.rcproxy.cluster.resp.RespValue.IntegerReply;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The introspection merges: SLOWLOG, LATENCY, MEMORY STATS, ROLE, LASTSAVE, the doctors' texts. */
class IntrospectionMergesTest {

    private static RespValue n(long v) {
        return new IntegerReply(v);
    }

    private static RespValue s(String v) {
        return BulkString.of(v);
    }

    private static RespValue slow(long id, long time) {
        return ArrayReply.of(n(id), n(time), n(5), ArrayReply.of(s("get"), s("k")), s("127.0.0.1:50000"), s(""));
    }

    @Test
    void slowlogEntriesComeNewestFirstCutToTheCountAndNamedByNode() {
        RespValue a = ArrayReply.of(slow(2, 300), slow(1, 100));
        RespValue b = ArrayReply.of(slow(7, 200));
        List<RespValue> merged = RespValues.array(
                IntrospectionMerges.slowlog(List.of(a, b), List.of("10.0.0.1:7000", "10.0.0.2:7000"), 2));
        assertEquals(2, merged.size());
        assertEquals(300, RespValues.integer(RespValues.array(merged.get(0)).get(1)));
        assertEquals("10.0.0.1:7000", RespValues.text(RespValues.array(merged.get(0)).get(5)));
        assertEquals("10.0.0.2:7000", RespValues.text(RespValues.array(merged.get(1)).get(5)));
        assertEquals(3, RespValues.array(IntrospectionMerges.slowlog(List.of(a, b), List.of("x", "y"), -1)).size());
    }

    @Test
    void latencyLatestKeepsTheNewestSampleAndTheHighestMaximumPerEvent() {
        RespValue a = ArrayReply.of(ArrayReply.of(s("command"), n(100), n(5), n(50)));
        RespValue b = ArrayReply.of(ArrayReply.of(s("command"), n(200), n(7), n(9)),
                ArrayReply.of(s("fork"), n(150), n(3), n(3)));
        List<RespValue> merged = RespValues.array(IntrospectionMerges.latencyLatest(List.of(a, b)));
        assertEquals(ArrayReply.of(s("command"), n(200), n(7), n(50)), merged.get(0));
        assertEquals(ArrayReply.of(s("fork"), n(150), n(3), n(3)), merged.get(1));
    }

    @Test
    void latencyHistoryIsInTimeOrder() {
        RespValue a = ArrayReply.of(ArrayReply.of(n(100), n(5)), ArrayReply.of(n(300), n(6)));
        RespValue b = ArrayReply.of(ArrayReply.of(n(200), n(7)));
        assertEquals(ArrayReply.of(ArrayReply.of(n(100), n(5)), ArrayReply.of(n(200), n(7)),
                ArrayReply.of(n(300), n(6))), IntrospectionMerges.latencyHistory(List.of(a, b)));
    }

    @Test
    void histogramsAddUpCallsAndBuckets() {
        RespValue a = ArrayReply.of(s("set"), ArrayReply.of(s("calls"), n(2), s("histogram_usec"),
                ArrayReply.of(s("16"), n(2))));
        RespValue b = ArrayReply.of(s("set"), ArrayReply.of(s("calls"), n(3), s("histogram_usec"),
                ArrayReply.of(s("16"), n(1), s("32"), n(2))));
        assertEquals(ArrayReply.of(s("set"), ArrayReply.of(s("calls"), n(5), s("histogram_usec"),
                ArrayReply.of(s("16"), n(3), s("32"), n(2)))), IntrospectionMerges.pairsSummed(List.of(a, b)));
    }

    @Test
    void memoryStatsAreSummedAndTheirPercentagesRecomputed() {
        RespValue a = ArrayReply.of(s("peak.allocated"), n(400), s("total.allocated"), n(300),
                s("startup.allocated"), n(100), s("keys.count"), n(2), s("keys.bytes-per-key"), n(100),
                s("dataset.bytes"), n(100), s("dataset.percentage"), s("50"), s("peak.percentage"), s("75"),
                s("fragmentation"), s("1.5"));
        RespValue b = ArrayReply.of(s("peak.allocated"), n(400), s("total.allocated"), n(100),
                s("startup.allocated"), n(100), s("keys.count"), n(0), s("keys.bytes-per-key"), n(0),
                s("dataset.bytes"), n(0), s("dataset.percentage"), s("0"), s("peak.percentage"), s("25"),
                s("fragmentation"), s("3.25"));
        List<RespValue> m = RespValues.array(IntrospectionMerges.pairsSummed(List.of(a, b)));
        assertEquals(n(800), m.get(1));
        assertEquals(n(100), m.get(9), "bytes per key: (400 - 200) / 2");
        assertEquals(s("50"), m.get(13), "dataset: 100 of 200");
        assertEquals(s("50"), m.get(15), "peak: 400 of 800");
        assertEquals(s("3.25"), m.get(17), "another ratio: the highest");
    }

    @Test
    void roleIsOneMasterWithTheOffsetsSummedAndLastsaveTheOldest() {
        RespValue replica = ArrayReply.of(s("127.0.0.1"), s("7001"), s("10"));
        RespValue a = ArrayReply.of(s("master"), n(10), ArrayReply.of(replica));
        RespValue b = ArrayReply.of(s("master"), n(5), ArrayReply.of());
        assertEquals(ArrayReply.of(s("master"), n(15), ArrayReply.of()), IntrospectionMerges.role(List.of(a, b)));
        assertEquals(n(100), IntrospectionMerges.min(List.of(n(300), n(100), n(200))));
    }

    @Test
    void doctorsTextsAreHeadedByTheirNode() {
        assertEquals("# a:1\nfine\n\n# b:2\nbad\n", IntrospectionMerges.nodeTexts(List.of("fine\n", "bad"),
                List.of("a:1", "b:2")));
    }
}
