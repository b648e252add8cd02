package io.rcproxy.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogLevelTest {

    @Test
    void setsTheRootLoggerAndCanSetItBack() {
        String before = LogLevel.current();
        try {
            assertTrue(LogLevel.apply("WARN"));
            assertEquals("WARN", LogLevel.current());
            assertTrue(LogLevel.apply("DEBUG"));
            assertEquals("DEBUG", LogLevel.current());
        } finally {
            LogLevel.apply(before);
        }
    }

    @Test
    void refusesAnUnknownLevel() {
        assertThrows(IllegalArgumentException.class, () -> LogLevel.apply("LOUD"));
    }
}
