package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KeyspaceTest {

    @Test
    void mastersKeyspacesAreSummed() {
        Keyspace keyspace = new Keyspace();
        keyspace.add("# Keyspace\r\ndb0:keys=10,expires=2,avg_ttl=1000\r\n");
        keyspace.add("# Keyspace\r\ndb0:keys=5,expires=2,avg_ttl=3000\r\n");
        keyspace.add("# Keyspace\r\n");
        assertEquals("# Keyspace\r\ndb0:keys=15,expires=4,avg_ttl=2000\r\n", keyspace.render());
    }

    @Test
    void noKeysNoDatabaseLine() {
        Keyspace keyspace = new Keyspace();
        keyspace.add("# Keyspace\r\n");
        keyspace.add("garbage\r\ndbx:keys=1\r\n");
        assertEquals("# Keyspace\r\n", keyspace.render());
    }
}
