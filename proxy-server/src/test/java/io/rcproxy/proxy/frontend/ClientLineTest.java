package io.rcproxy.proxy.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.proxy.auth.AuthMetrics;
import io.rcproxy.proxy.auth.ClientAccess;
import io.rcproxy.proxy.auth.UserDirectory;
import io.rcproxy.proxy.command.CommandTable;
import io.rcproxy.proxy.config.AuthConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One CLIENT LIST line: Redis 7.0's fields in its order, 7.2's lib-name/lib-ver, flags in Redis's order. */
class ClientLineTest {

    private static final UserDirectory OPEN =
            new UserDirectory(AuthConfig.OPEN, CommandTable.builtIn(), AuthMetrics.unregistered());

    private static ClientSession session(long id) {
        return new ClientSession(id, new ClientAccess(OPEN));
    }

    private static List<String> names(String line) {
        List<String> names = new ArrayList<>();
        for (String field : line.split(" ")) {
            names.add(field.substring(0, field.indexOf('=')));
        }
        return names;
    }

    @Test
    void everyFieldInRedissOrder() {
        ClientSession session = session(7);
        String line = ClientLine.of(session, System.nanoTime());
        assertEquals(List.of("id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub",
                "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem",
                "tot-mem", "events", "cmd", "user", "redir", "resp", "lib-name", "lib-ver"), names(line));
        assertTrue(line.startsWith("id=7 "), line);
        assertTrue(line.endsWith(" user=default redir=-1 resp=2 lib-name= lib-ver="), line);
    }

    @Test
    void flagsFollowRedissOrderAndNIsNone() {
        ClientSession session = session(1);
        assertEquals("N", ClientLine.flags(session));
        session.noTouch(true);
        session.noEvict(true);
        session.readonly(true);
        session.blocked(true);
        session.multi(0);
        session.subscriptions(1, 0, 0);
        assertEquals("PxbreT", ClientLine.flags(session));
    }

    @Test
    void setInfoAndNameShow() {
        ClientSession session = session(1);
        session.name("worker");
        session.libName("redis-py");
        session.libVersion("5.0.1");
        String line = ClientLine.of(session, System.nanoTime());
        assertTrue(line.contains(" name=worker "), line);
        assertTrue(line.endsWith(" lib-name=redis-py lib-ver=5.0.1"), line);
    }
}
