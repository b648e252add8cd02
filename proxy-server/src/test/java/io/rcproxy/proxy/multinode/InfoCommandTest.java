package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rcproxy.proxy.command.Requests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which sections an INFO request asks for: only those that include the keyspace ask the masters. */
class InfoCommandTest {

    private final Requests requests = new Requests();

    @AfterEach
    void close() {
        requests.close();
    }

    @Test
    void noArgumentAndTheAllNamesMeanEverySection() {
        assertEquals(InfoCommand.ALL, InfoCommand.sections(requests.of("info")));
        for (String all : new String[] {"all", "DEFAULT", "everything"}) {
            assertEquals(InfoCommand.ALL, InfoCommand.sections(requests.of("info", all)), all);
        }
    }

    @Test
    void sectionsAddUpAndUnknownOnesAreLeftOut() {
        assertEquals(InfoCommand.SERVER | InfoCommand.KEYSPACE,
                InfoCommand.sections(requests.of("info", "Server", "nosuchsection", "keyspace")));
        assertEquals(0, InfoCommand.sections(requests.of("info", "memory")));
        assertEquals(InfoCommand.PROXY, InfoCommand.sections(requests.of("info", "proxy")));
    }
}
