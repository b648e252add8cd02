package io.rcproxy.proxy.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ScanCursorTest {

    @Test
    void zeroStartsAtTheFirstMaster() {
        assertEquals(new ScanCursor(0, "0"), ScanCursor.decode("0"));
        assertEquals("0", ScanCursor.START.encode());
    }

    @Test
    void masterIndexSitsInTheLowFourDigits() {
        assertEquals("17920002", new ScanCursor(2, "1792").encode());
        assertEquals(new ScanCursor(2, "1792"), ScanCursor.decode("17920002"));
        assertEquals("3", new ScanCursor(3, "0").encode());
        assertEquals(new ScanCursor(3, "0"), ScanCursor.decode("3"));
        assertEquals("10000", new ScanCursor(0, "1").encode());
        assertEquals(new ScanCursor(0, "1"), ScanCursor.decode("10000"));
    }

    @Test
    void sixtyFourBitNodeCursorsRoundTrip() {
        String max = Long.toUnsignedString(-1L);
        for (String node : new String[] {"1", "9", "123456789", Long.toString(Long.MAX_VALUE), max}) {
            for (int master : new int[] {0, 1, 9, 10, 999, 9999}) {
                ScanCursor cursor = new ScanCursor(master, node);
                assertEquals(cursor, ScanCursor.decode(cursor.encode()), cursor.encode());
            }
        }
    }

    @Test
    void cursorsTheProxyCannotHaveGivenAreRefused() {
        for (String bad : new String[] {"", "-1", "01", "abc", "1 2", "1e5", "+3",
                Long.toUnsignedString(-1L) + "00000", "9".repeat(20) + "0001", "1".repeat(30)}) {
            assertNull(ScanCursor.decode(bad), bad);
        }
    }

    @Test
    void aFinishedMasterMovesOnToTheNextThenEnds() {
        assertEquals(new ScanCursor(0, "42"), ScanCursor.START.next("42", 3));
        assertEquals(new ScanCursor(1, "0"), new ScanCursor(0, "42").next("0", 3));
        assertEquals(new ScanCursor(2, "0"), new ScanCursor(1, "7").next("0", 3));
        assertNull(new ScanCursor(2, "7").next("0", 3));
    }
}
