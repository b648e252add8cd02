package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.proxy.command.Requests;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which sections an INFO request asks for, in Redis's order, and which of them ask the masters. */
class InfoSectionsTest {

    private static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "errorstats", "cluster", "keyspace", "proxy");

    private final Requests requests = new Requests();

    @AfterEach
    void close() {
        requests.close();
    }

    private List<String> names(String... args) {
        return List.copyOf(InfoSections.of(requests.of(args)).names());
    }

    @Test
    void noArgumentOrDefaultMeansRedissDefaultSectionsAndTheProxys() {
        assertEquals(DEFAULT, names("info"));
        assertEquals(DEFAULT, names("info", "DEFAULT"));
    }

    @Test
    void allAndEverythingAddTheCommandAndLatencyStatistics() {
        for (String all : new String[] {"all", "everything"}) {
            List<String> names = names("info", all);
            assertTrue(names.containsAll(DEFAULT), all);
            assertEquals(List.of("commandstats", "errorstats", "latencystats"),
                    names.subList(names.indexOf("modules") + 1, names.indexOf("cluster")), all);
        }
    }

    @Test
    void sectionsComeOutInRedissOrderAndUnknownOnesAreLeftOut() {
        assertEquals(List.of("server", "memory", "keyspace"), names("info", "keyspace", "Memory", "nosuch", "server"));
        assertEquals(List.of(), names("info", "nosuchsection"));
        assertEquals(List.of("proxy"), names("info", "proxy"));
    }

    @Test
    void onlySectionsTheMastersContributeToAskThem() {
        assertFalse(InfoSections.of(requests.of("info", "server", "clients", "cluster", "proxy")).needsMasters());
        InfoSections stats = InfoSections.of(requests.of("info", "server", "stats", "keyspace"));
        assertTrue(stats.needsMasters());
        assertArrayEquals(new String[] {"INFO", "stats", "keyspace"}, stats.masterRequest());
    }
}
