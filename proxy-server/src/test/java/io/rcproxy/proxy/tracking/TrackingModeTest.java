package io.rcproxy.proxy.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Redis 7.0's rules for changing a connection's tracking mode. */
class TrackingModeTest {

    private final TrackingMode mode = new TrackingMode();

    private static TrackingRequest on(boolean bcast, boolean optin, boolean optout, String... prefixes) {
        return new TrackingRequest(null, true, 0, bcast, optin, optout, false,
                java.util.Arrays.stream(prefixes).map(TrackedKey::of).toList());
    }

    @Test
    void optinTracksOnlyTheReadAfterCachingYes() {
        mode.enable(on(false, true, false));
        assertFalse(mode.tracksThisRead());
        assertNull(mode.caching("yes"));
        assertTrue(mode.tracksThisRead());
    }

    @Test
    void optoutTracksEveryReadButTheOneAfterCachingNo() {
        mode.enable(on(false, false, true));
        assertTrue(mode.tracksThisRead());
        assertNull(mode.caching("no"));
        assertFalse(mode.tracksThisRead());
        assertEquals("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.",
                mode.caching("yes"));
    }

    @Test
    void bcastCannotBeSwitchedWhileOn() {
        mode.enable(on(false, false, false));
        assertTrue(mode.refusal(on(true, false, false)).startsWith("ERR You can't switch BCAST mode"));
        mode.disable();
        assertNull(mode.refusal(on(true, false, false)));
    }

    @Test
    void prefixesAccumulateAndMayNotOverlap() {
        mode.enable(on(true, false, false, "ab", "cd"));
        assertEquals("ERR Prefix 'abc' overlaps with an existing prefix 'ab'. Prefixes for a single client must "
                + "not overlap.", mode.refusal(on(true, false, false, "abc")));
        mode.enable(on(true, false, false, "b"));
        assertEquals(List.of(TrackedKey.of("ab"), TrackedKey.of("b"), TrackedKey.of("cd")), List.copyOf(mode.prefixes));
    }

    @Test
    void bcastWithoutPrefixesTracksEveryKey() {
        mode.enable(on(true, false, false));
        assertEquals(List.of(TrackedKey.of("")), List.copyOf(mode.prefixes));
    }

    @Test
    void offShowsNoRedirect() {
        mode.enable(new TrackingRequest(null, true, 9, false, false, false, false, List.of()));
        assertEquals(9, mode.shownRedirect());
        mode.disable();
        assertEquals(-1, mode.shownRedirect());
        assertEquals("", mode.listFlags());
    }
}
