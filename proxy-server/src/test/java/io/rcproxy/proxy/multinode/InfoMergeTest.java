package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-field rules of info-fields.tsv applied to the masters' INFO sections. */
class InfoMergeTest {

    private static Map<String, String> merge(String section, Map<String, String> proxy, String... masterTexts) {
        List<Map<String, String>> masters = new ArrayList<>();
        for (String text : masterTexts) {
            masters.add(InfoText.parse("# " + section + "\r\n" + text).section(section));
        }
        return InfoMerge.merge(InfoFieldRules.RULES.section(section), masters, proxy);
    }

    @Test
    void memoryIsSummedAndItsHumanFormsAndRatiosRecomputed() {
        Map<String, String> memory = merge("memory", Map.of(),
                "used_memory:1048576\r\nused_memory_human:1.00M\r\nused_memory_rss:4194304\r\nmaxmemory:0\r\n"
                        + "maxmemory_policy:noeviction\r\nmem_allocator:jemalloc-5.3.0\r\n",
                "used_memory:1048576\r\nused_memory_human:1.00M\r\nused_memory_rss:2097152\r\nmaxmemory:100\r\n"
                        + "maxmemory_policy:allkeys-lru\r\nmem_allocator:jemalloc-5.3.0\r\n");
        assertEquals("2097152", memory.get("used_memory"));
        assertEquals("2.00M", memory.get("used_memory_human"));
        assertEquals("6.00M", memory.get("used_memory_rss_human"));
        assertEquals("3.00", memory.get("mem_fragmentation_ratio"));
        assertEquals("0", memory.get("maxmemory"), "one master unlimited: the whole is unlimited");
        assertEquals("noeviction", memory.get("maxmemory_policy"), "the first master's");
        assertEquals(List.of("used_memory", "used_memory_human", "used_memory_rss", "used_memory_rss_human"),
                List.copyOf(memory.keySet()).subList(0, 4), "Redis's field order");
    }

    @Test
    void flagsTakeTheMaximumTimesTheMinimumAndStatusesTheFirstFailure() {
        Map<String, String> persistence = merge("persistence", Map.of(),
                "loading:0\r\nrdb_last_save_time:200\r\nrdb_changes_since_last_save:3\r\nrdb_last_bgsave_status:ok\r\n",
                "loading:1\r\nrdb_last_save_time:100\r\nrdb_changes_since_last_save:4\r\n"
                        + "rdb_last_bgsave_status:err\r\n");
        assertEquals("1", persistence.get("loading"));
        assertEquals("100", persistence.get("rdb_last_save_time"));
        assertEquals("7", persistence.get("rdb_changes_since_last_save"));
        assertEquals("err", persistence.get("rdb_last_bgsave_status"));
    }

    @Test
    void decimalsKeepTheMastersPrecision() {
        Map<String, String> cpu = merge("cpu", Map.of(), "used_cpu_sys:0.250000\r\n", "used_cpu_sys:1.000001\r\n");
        assertEquals("1.250001", cpu.get("used_cpu_sys"));
    }

    @Test
    void proxyFieldsAreTheProxysAndReplicasAreNotShown() {
        Map<String, String> replication = merge("replication",
                Map.of("role", "master", "connected_slaves", "0"),
                "role:master\r\nconnected_slaves:1\r\nslave0:ip=127.0.0.1,port=7001,state=online\r\n"
                        + "master_repl_offset:10\r\n",
                "role:master\r\nconnected_slaves:1\r\nslave0:ip=127.0.0.1,port=7002,state=online\r\n"
                        + "master_repl_offset:5\r\n");
        assertEquals("master", replication.get("role"));
        assertEquals("0", replication.get("connected_slaves"));
        assertEquals("15", replication.get("master_repl_offset"));
        assertFalse(replication.containsKey("slave0"), "clients must not be sent to the cluster's replicas");
    }

    @Test
    void commandStatsAddUpPerCommandWithTheMeanRecomputed() {
        Map<String, String> stats = merge("commandstats", Map.of(),
                "cmdstat_set:calls=1,usec=10,usec_per_call=10.00,rejected_calls=0,failed_calls=1\r\n",
                "cmdstat_set:calls=3,usec=2,usec_per_call=0.67,rejected_calls=1,failed_calls=0\r\n"
                        + "cmdstat_get:calls=2,usec=4,usec_per_call=2.00,rejected_calls=0,failed_calls=0\r\n");
        assertEquals("calls=4,usec=12,usec_per_call=3.00,rejected_calls=1,failed_calls=1", stats.get("cmdstat_set"));
        assertEquals("calls=2,usec=4,usec_per_call=2.00,rejected_calls=0,failed_calls=0", stats.get("cmdstat_get"));
    }

    @Test
    void latencyPercentilesTakeTheHighestAndErrorsAddUp() {
        assertEquals("p50=2.000,p99=9.500",
                merge("latencystats", Map.of(), "latency_percentiles_usec_get:p50=1.000,p99=9.500\r\n",
                        "latency_percentiles_usec_get:p50=2.000,p99=3.000\r\n").get("latency_percentiles_usec_get"));
        assertEquals("count=5", merge("errorstats", Map.of(), "errorstat_ERR:count=2\r\n", "errorstat_ERR:count=3\r\n")
                .get("errorstat_ERR"));
    }

    @Test
    void aFieldNoMasterHasIsLeftOut() {
        assertNull(merge("memory", Map.of(), "used_memory:5\r\n").get("used_memory_rss_human"));
    }

    @Test
    void humanUnitsAreRedissOwn() {
        assertEquals("200B", InfoMerge.human(200));
        assertEquals("919.19K", InfoMerge.human(941_248));
        assertEquals("23.54G", InfoMerge.human(25_275_990_016L));
    }
}
