package io.rcproxy.proxy.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobPatternTest {

    @Test
    void starMatchesAnyRunIncludingNone() {
        GlobPattern p = new GlobPattern("app:*");
        assertTrue(p.matches("app:"));
        assertTrue(p.matches("app:1:2"));
        assertFalse(p.matches("ap:1"));
        assertFalse(p.matches("xapp:1"));
        assertTrue(new GlobPattern("*").matchesEverything());
        assertTrue(new GlobPattern("a*b*c").matches("aXXbYYbc"));
        assertFalse(new GlobPattern("a*b*c").matches("aXXbYYb"));
    }

    @Test
    void questionMarkClassesAndEscapes() {
        assertTrue(new GlobPattern("user:?").matches("user:7"));
        assertFalse(new GlobPattern("user:?").matches("user:"));
        assertTrue(new GlobPattern("[a-c]x").matches("bx"));
        assertFalse(new GlobPattern("[a-c]x").matches("dx"));
        assertTrue(new GlobPattern("[^a-c]x").matches("dx"));
        assertFalse(new GlobPattern("[^a-c]x").matches("ax"));
        assertTrue(new GlobPattern("h[ae]llo").matches("hallo"));
        assertTrue(new GlobPattern("a\\*b").matches("a*b"));
        assertFalse(new GlobPattern("a\\*b").matches("axb"));
    }

    @Test
    void manyStarsStayLinear() {
        GlobPattern p = new GlobPattern("*a*a*a*a*a*a*a*a*a*a*b");
        assertFalse(p.matches("a".repeat(5000))); // would take ages with naive backtracking
    }
}
